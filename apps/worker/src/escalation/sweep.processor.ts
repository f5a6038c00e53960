import { Processor } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { CaseEventSweeper, EscalationSweeper } from '@panah/escalation';
import { JobName, QueueName } from '@panah/queue';
import { JobProcessor } from '../job-processor';
import { PanahWorkerHost, WORKER_LOCKS } from '../processor-events';

/** The escalation sweeper's periodic job (see EscalationSweeper). */
@Processor(QueueName.EscalationSweep, WORKER_LOCKS)
export class EscalationSweepProcessor extends PanahWorkerHost implements JobProcessor {
  readonly queue = QueueName.EscalationSweep;
  readonly handles = [JobName.EscalationSweep] as const;
  protected override readonly onOutage = 'skip';

  constructor(
    private readonly sweeper: EscalationSweeper,
    private readonly caseEvents: CaseEventSweeper,
  ) {
    super();
  }

  async process(job: Job): Promise<{
    runs: number;
    notifications: number;
    casesOpened: number;
    casesUpdated: number;
    caseSignals: number;
  }> {
    const name = job.name as (typeof this.handles)[number];
    switch (name) {
      case JobName.EscalationSweep: {
        // Case events first: a case whose case.opened was lost has no run for sweep() to look at.
        const events = await this.caseEvents.sweep();
        if (events.opened + events.updated + events.signals > 0)
          this.logger.warn(events, 'sweeper re-announced case events whose jobs were lost');
        return {
          ...(await this.sweeper.sweep()),
          casesOpened: events.opened,
          casesUpdated: events.updated,
          caseSignals: events.signals,
        };
      }
    }
  }
}
