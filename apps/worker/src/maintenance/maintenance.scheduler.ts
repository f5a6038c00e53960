import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { JobName, QueueName } from '@panah/queue';
import { RepeatingJob } from '../repeating-job';

/** Registers the periodic housekeeping jobs. */
@Injectable()
export class MaintenanceScheduler extends RepeatingJob<typeof JobName.OutboxPrune> {
  constructor(@InjectQueue(QueueName.Maintenance) queue: Queue) {
    super(queue, {
      id: 'outbox-prune-hourly',
      job: JobName.OutboxPrune,
      data: { retentionHours: 24 * 7 },
      everyMs: 3_600_000,
    });
  }
}
