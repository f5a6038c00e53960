import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { JobName, jobOptions, QueueName } from '@panah/queue';

const SCHEDULER_ID = 'escalation-sweep';

/**
 * Registers the sweeper as a BullMQ Job Scheduler (one per id, cluster-wide) and keeps it
 * registered: a flushed Redis loses the scheduler with everything else, so every few sweep
 * intervals this re-asserts it (upsert is idempotent).
 */
@Injectable()
export class EscalationSweepScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EscalationSweepScheduler.name);
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;

  constructor(
    @InjectQueue(QueueName.EscalationSweep) private readonly queue: Queue,
    @Inject(PANAH_CONFIG) private readonly config: PanahConfig,
  ) {
    this.queue.on('error', () => undefined); // outages are reported by readiness, not per retry
  }

  onApplicationBootstrap(): void {
    void this.ensure();
    const every = Math.max(5_000, this.config.escalation.sweepEveryMs * 5);
    this.timer = setInterval(() => void this.ensure(), every);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async ensure(): Promise<void> {
    try {
      await this.queue.upsertJobScheduler(SCHEDULER_ID, { every: this.config.escalation.sweepEveryMs }, { name: JobName.EscalationSweep, data: {}, opts: jobOptions[JobName.EscalationSweep] });
      this.failures = 0;
    } catch {
      this.failures += 1;
      if (this.failures === 1) this.logger.warn('could not register the escalation sweeper yet; retrying');
    }
  }
}
