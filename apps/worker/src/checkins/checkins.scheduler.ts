import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { JobName, jobOptions, QueueName } from '@panah/queue';

/** Registers the check-in sweeper (a BullMQ Job Scheduler: one per id, cluster-wide). */
@Injectable()
export class CheckinsScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(CheckinsScheduler.name);

  constructor(
    @InjectQueue(QueueName.CheckinSweep) private readonly queue: Queue,
    @Inject(PANAH_CONFIG) private readonly config: PanahConfig,
  ) {
    this.queue.on('error', () => undefined); // outages are reported by readiness, not per retry
  }

  onApplicationBootstrap(): void {
    // Not awaited: with Redis down at boot the worker still starts, and this retries on reconnect.
    void this.schedule();
  }

  private async schedule(attempt = 0): Promise<void> {
    try {
      await this.queue.upsertJobScheduler(
        'checkin-sweep',
        { every: this.config.checkins.sweepEveryMs },
        { name: JobName.CheckinSweep, data: {}, opts: jobOptions[JobName.CheckinSweep] },
      );
    } catch {
      if (attempt === 0) this.logger.warn('could not register the check-in sweeper yet; retrying');
      setTimeout(() => void this.schedule(attempt + 1), Math.min(30_000, 1_000 * 2 ** attempt)).unref();
    }
  }
}
