import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { JobName, QueueName } from '@panah/queue';
import { RepeatingJob } from '../repeating-job';

/** Registers the periodic housekeeping jobs. */
@Injectable()
export class MaintenanceScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly repeating: RepeatingJob<typeof JobName.OutboxPrune>;

  constructor(@InjectQueue(QueueName.Maintenance) queue: Queue) {
    this.repeating = new RepeatingJob(
      queue,
      {
        id: 'outbox-prune-hourly',
        job: JobName.OutboxPrune,
        data: { retentionHours: 24 * 7 },
        everyMs: 3_600_000,
      },
      new Logger(MaintenanceScheduler.name),
    );
  }

  onApplicationBootstrap(): void {
    this.repeating.start();
  }

  onApplicationShutdown(): void {
    this.repeating.stop();
  }
}
