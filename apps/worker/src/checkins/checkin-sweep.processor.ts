import { Processor } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { DeadlineService, DuressService } from '@panah/checkins';
import { JobName, parseJobPayload, QueueName } from '@panah/queue';
import { JobProcessor } from '../job-processor';
import { PanahWorkerHost, WORKER_LOCKS } from '../processor-events';

/**
 * The safety net under the delayed jobs: every few seconds, any plan past its alert time or
 * reminder time (Redis flushed, worker dead, job failed) and any duress sign-in not yet raised.
 */
@Processor(QueueName.CheckinSweep, WORKER_LOCKS)
export class CheckinSweepProcessor extends PanahWorkerHost implements JobProcessor {
  readonly queue = QueueName.CheckinSweep;
  readonly handles = [JobName.CheckinSweep] as const;
  protected override readonly onOutage = 'skip';

  constructor(
    private readonly deadlines: DeadlineService,
    private readonly duress: DuressService,
  ) {
    super();
  }

  async process(job: Job): Promise<{ alerts: number; reminders: number; duress: number }> {
    parseJobPayload(JobName.CheckinSweep, job.data);
    const found = await this.deadlines.sweep();
    const duress = await this.duress.sweep();
    // Counts only; a non-zero number means Redis lost something, which operators should see.
    if (found.alerts + found.reminders > 0)
      this.logger.warn(
        { alerts: found.alerts, reminders: found.reminders },
        'sweeper fired timers whose jobs were lost',
      );
    return { ...found, duress };
  }
}
