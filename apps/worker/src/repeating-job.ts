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
 * the worker must still start) and retries until it succeeds. Afterwards every period each worker
 * checks that the scheduler still exists (one Redis read) and registers it again at once if not:
 * a flushed Redis (FLUSHALL, a restart without persistence, a failover) loses schedulers with
 * everything else, and the sweepers must be back within one period to redo the rest. The upsert
 * (idempotent) is repeated only every few periods, so re-asserting never crowds out the runs.
 * Every periodic job — sweepers, the reconciler, housekeeping — is a subclass that only names
 * its queue and its spec.
 */
export abstract class RepeatingJob<J extends JobName>
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger(this.constructor.name);
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private checking = false;

  protected constructor(
    private readonly queue: Queue,
    private readonly spec: RepeatingJobSpec<J>,
  ) {
    this.queue.on('error', () => undefined); // outages are reported by readiness, not per retry
  }

  onApplicationBootstrap(): void {
    void this.ensure();
    // Checked every period (at most every 10 s); re-asserted every 5 periods (at least 5 s), so
    // re-asserting never crowds out the runs themselves.
    const checkEveryMs = Math.min(this.spec.everyMs, 10_000);
    const reassertTicks = Math.ceil(Math.max(5_000, this.spec.everyMs * 5) / checkEveryMs);
    let ticks = 0;
    this.timer = setInterval(() => {
      ticks += 1;
      void (ticks % reassertTicks === 0 ? this.ensure() : this.ensureExists());
    }, checkEveryMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Registers the scheduler again if Redis lost it (flushed or restarted empty). */
  private async ensureExists(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      if (!(await this.queue.getJobScheduler(this.spec.id))) {
        this.logger.warn(`${this.spec.id} was gone from Redis (flushed?); registering it again`);
        await this.ensure();
      }
    } catch {
      // Redis unreachable: readiness reports it; the next period checks again.
    } finally {
      this.checking = false;
    }
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
