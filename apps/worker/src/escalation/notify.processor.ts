import { Processor } from '@nestjs/bullmq';
import { Inject, OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { NotificationDelivery } from '@panah/escalation';
import { JobName, parseJobPayload, QueueName } from '@panah/queue';
import { JobProcessor } from '../job-processor';
import { PanahWorkerHost, WORKER_LOCKS } from '../processor-events';

/** One delivery attempt per job; retries and fallbacks are announced by NotificationDelivery itself. */
@Processor(QueueName.Notify, WORKER_LOCKS)
export class NotifyProcessor extends PanahWorkerHost implements JobProcessor, OnApplicationBootstrap {
  readonly queue = QueueName.Notify;
  readonly handles = [JobName.NotificationDeliver] as const;

  constructor(
    private readonly delivery: NotificationDelivery,
    @Inject(PANAH_CONFIG) private readonly config: PanahConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.escalation.concurrency;
  }

  async process(job: Job): Promise<{ outcome: string }> {
    const name = job.name as (typeof this.handles)[number];
    switch (name) {
      case JobName.NotificationDeliver: {
        const p = parseJobPayload(JobName.NotificationDeliver, job.data);
        return { outcome: await this.delivery.deliver(p.notificationId, p.attempt) };
      }
    }
  }

  protected override async onFinalFailure(job: Job): Promise<void> {
    // The row stays pending with an expired lease or due time; the sweeper hands it out again.
    this.logger.error(
      { job: job.name, jobId: job.id, alert: 'notification_job_failed' },
      'ALERT: a notification job failed; the sweeper will retry it',
    );
  }
}
