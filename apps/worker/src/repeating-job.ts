import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { JobName, JobPayload, jobOptions } from '@panah/queue';

export interface RepeatingJobSpec<J extends JobName> {
  /** The Job Scheduler id: one per id, cluster-wide, however many workers upsert it. */
  readonly id: string;
  readonly job: J;
  readonly data: JobPayload<J>;
  readonly everyMs: number;
}

/**
 * Keeps a BullMQ Job Scheduler registered. Registration is not awaited at boot (with Redis down
 * the worker must still start) and retries until it succeeds; afterwards it is re-asserted every
 * few periods, because a flushed Redis loses schedulers with everything else (upsert is
 * idempotent). Every periodic job — sweepers, the reconciler, housekeeping — is a subclass that
 * only names its queue and its spec.
 */
export abstract class RepeatingJob<J extends JobName>
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger(this.constructor.name);
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;

  protected constructor(
    private readonly queue: Queue,
    private readonly spec: RepeatingJobSpec<J>,
  ) {
    this.queue.on('error', () => undefined); // outages are reported by readiness, not per retry
  }

  onApplicationBootstrap(): void {
    void this.ensure();
    // A multiple of the period, so re-asserting never crowds out the runs themselves.
    const reassertEvery = Math.max(5_000, this.spec.everyMs * 5);
    this.timer = setInterval(() => void this.ensure(), reassertEvery);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async ensure(): Promise<void> {
    try {
      await this.queue.upsertJobScheduler(
        this.spec.id,
        { every: this.spec.everyMs },
        { name: this.spec.job, data: this.spec.data, opts: jobOptions[this.spec.job] },
      );
      this.failures = 0;
    } catch {
      this.failures += 1;
      if (this.failures === 1) this.logger.warn(`could not register ${this.spec.id} yet; retrying`);
    }
  }
}
