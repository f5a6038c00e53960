import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { JobName, jobOptions, QueueName } from '@panah/queue';

/** Registers the triage reconciler (a BullMQ Job Scheduler: one per id, cluster-wide). */
@Injectable()
export class TriageScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(TriageScheduler.name);

  constructor(
    @InjectQueue(QueueName.TriageReconcile) private readonly queue: Queue,
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
        'triage-reconcile',
        { every: this.config.triage.reconcileEveryMs },
        { name: JobName.TriageReconcile, data: {}, opts: jobOptions[JobName.TriageReconcile] },
      );
    } catch {
      if (attempt === 0) this.logger.warn('could not register the triage reconciler yet; retrying');
      setTimeout(() => void this.schedule(attempt + 1), Math.min(30_000, 1_000 * 2 ** attempt)).unref();
    }
  }
}
