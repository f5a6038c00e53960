import { Processor } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { EscalationSweeper } from '@panah/escalation';
import { JobName, QueueName } from '@panah/queue';
import { JobProcessor } from '../job-processor';
import { PanahWorkerHost, WORKER_LOCKS } from '../processor-events';

/** The escalation sweeper's periodic job (see EscalationSweeper). */
@Processor(QueueName.EscalationSweep, WORKER_LOCKS)
export class EscalationSweepProcessor extends PanahWorkerHost implements JobProcessor {
  readonly queue = QueueName.EscalationSweep;
  readonly handles = [JobName.EscalationSweep] as const;
  protected override readonly onOutage = 'skip';

  constructor(private readonly sweeper: EscalationSweeper) {
    super();
  }

  async process(job: Job): Promise<{ runs: number; notifications: number }> {
    const name = job.name as (typeof this.handles)[number];
    switch (name) {
      case JobName.EscalationSweep:
        return this.sweeper.sweep();
    }
  }
}
