import { Processor } from '@nestjs/bullmq';
import { InjectDataSource } from '@nestjs/typeorm';
import { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { JobName, parseJobPayload, pruneRelayedOutbox, QueueName } from '@panah/queue';
import { JobProcessor } from '../job-processor';
import { PanahWorkerHost, WORKER_LOCKS } from '../processor-events';

/** Housekeeping: retention of relayed outbox rows. */
@Processor(QueueName.Maintenance, WORKER_LOCKS)
export class MaintenanceProcessor extends PanahWorkerHost implements JobProcessor {
  readonly queue = QueueName.Maintenance;
  readonly handles = [JobName.OutboxPrune] as const;
  protected override readonly onOutage = 'skip';

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  async process(job: Job): Promise<{ deleted: number }> {
    const name = job.name as (typeof this.handles)[number];
    switch (name) {
      case JobName.OutboxPrune: {
        const { retentionHours } = parseJobPayload(JobName.OutboxPrune, job.data);
        return { deleted: await pruneRelayedOutbox(this.dataSource.manager, retentionHours) };
      }
    }
  }
}
