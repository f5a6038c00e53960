import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { JobName, jobOptions, QueueName } from '@panah/queue';

/** Registers the periodic housekeeping jobs (BullMQ Job Schedulers: one per id, cluster-wide). */
@Injectable()
export class MaintenanceScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(MaintenanceScheduler.name);

  constructor(@InjectQueue(QueueName.Maintenance) private readonly queue: Queue) {
    this.queue.on('error', () => undefined); // outages are reported by readiness, not per retry
  }

  onApplicationBootstrap(): void {
    // Not awaited: with Redis down at boot the worker still starts, and this retries on reconnect.
    void this.schedule();
  }

  private async schedule(attempt = 0): Promise<void> {
    try {
      await this.queue.upsertJobScheduler(
        'outbox-prune-hourly',
        { every: 3_600_000 },
        { name: JobName.OutboxPrune, data: { retentionHours: 24 * 7 }, opts: jobOptions[JobName.OutboxPrune] },
      );
    } catch {
      if (attempt === 0) this.logger.warn('could not register housekeeping schedule yet; retrying');
      setTimeout(() => void this.schedule(attempt + 1), Math.min(30_000, 1_000 * 2 ** attempt)).unref();
    }
  }
}
