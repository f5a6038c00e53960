import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Logger } from '@nestjs/common';
import { DelayedError, Job } from 'bullmq';
import { isDependencyOutage } from '@panah/db';

/**
 * Lock and stalled-check settings of every worker (BullMQ's defaults are 30 s each, so a killed
 * worker's jobs came back after 30-60 s). A live worker renews its locks every half lock, so a job
 * is taken from it only if its event loop stalls for `lockDuration`; a dead worker's jobs are
 * back in the queue within lockDuration + 2 × stalledInterval (≤ 9 s, about 5 s on average).
 * maxStalledCount is high because a job stalled by a killed worker is not the job's fault: with
 * workers killed repeatedly, the default of 1 failed such jobs for good.
 */
export const WORKER_LOCKS = { lockDuration: 6_000, stalledInterval: 1_500, maxStalledCount: 20 } as const;

/**
 * Process-wide outage state: the first job that meets an unreachable PostgreSQL or Redis logs one
 * line, the first job that succeeds afterwards logs one more; nothing in between.
 */
const outage = { since: 0, jobs: 0, logger: new Logger('DependencyOutage') };

/** How long a job waits before trying again while a dependency is down (grows to 5 s). */
function outageDelayMs(): number {
  const lasted = outage.since ? Date.now() - outage.since : 0;
  return Math.min(5_000, 1_000 + lasted / 4) * (0.75 + Math.random() / 2);
}

/**
 * What every processor does with BullMQ's worker events: connection errors are expected during
 * a Redis outage (BullMQ reconnects; readiness reports it), so they are logged rarely instead of
 * flooding; a job's final failure is logged by job name and id (never its data) and handed to
 * `onFinalFailure`, which a processor overrides when a failure must become a case or an alert.
 *
 * A job that fails because PostgreSQL or Redis is unreachable does not use up an attempt: it is
 * moved back to delayed (or, if Redis is unreachable too, left to its lock expiring, after which
 * the stalled check hands it back) and tries again a few seconds later. Periodic jobs
 * (`onOutage = 'skip'`) just end; their next period comes anyway.
 *
 * SIGTERM: each worker stops taking jobs and waits for its active ones before the application
 * closes its database and Redis connections (those close in onApplicationShutdown, after this).
 */
export abstract class PanahWorkerHost extends WorkerHost implements BeforeApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);
  protected readonly onOutage: 'delay' | 'skip' = 'delay';
  private connectionErrors = 0;

  constructor() {
    super();
    // @nestjs/bullmq binds `instance.process`: this own property wraps the subclass's method.
    const inner = this.process.bind(this) as (job: Job, token?: string) => Promise<unknown>;
    (this as { process: (job: Job, token?: string) => Promise<unknown> }).process = (job, token) =>
      this.guarded(inner, job, token);
  }

  private async guarded(
    inner: (job: Job, token?: string) => Promise<unknown>,
    job: Job,
    token?: string,
  ): Promise<unknown> {
    let result: unknown;
    try {
      result = await inner(job, token);
    } catch (error) {
      if (!isDependencyOutage(error)) throw error;
      if (!outage.since) {
        outage.since = Date.now();
        outage.jobs = 0;
        outage.logger.warn(
          { err: error instanceof Error ? error.name : 'unknown', code: (error as { code?: unknown }).code },
          'PostgreSQL or Redis unreachable: jobs wait for it without using up attempts',
        );
      }
      outage.jobs += 1;
      if (this.onOutage === 'skip') return { skipped: 'dependency_outage' };
      if (token) await job.moveToDelayed(Date.now() + outageDelayMs(), token).catch(() => undefined);
      throw new DelayedError();
    }
    if (outage.since) {
      outage.logger.warn(
        { outageMs: Date.now() - outage.since, jobsDelayed: outage.jobs },
        'dependencies reachable again: jobs run',
      );
      outage.since = 0;
    }
    return result;
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Stops fetching and resolves once the active jobs have finished (never force: a forced close
    // would leave them to the stalled check while their effects may be half done).
    await this.worker.close();
  }

  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    this.connectionErrors += 1;
    if (this.connectionErrors === 1 || this.connectionErrors % 100 === 0) {
      this.logger.warn({ err: error.message, count: this.connectionErrors }, 'worker connection error');
    }
  }

  @OnWorkerEvent('ready')
  onWorkerReady(): void {
    this.connectionErrors = 0;
  }

  @OnWorkerEvent('failed')
  async onJobFailed(job: Job | undefined, error: Error): Promise<void> {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1) || error.name === 'UnrecoverableError';
    this.logger.error(
      { job: job.name, jobId: job.id, attempt: job.attemptsMade, final, err: error.name },
      'job failed',
    );
    if (!final) return;
    try {
      await this.onFinalFailure(job, error);
    } catch (handlerError) {
      // An event listener must never reject (Node would end the process on the unhandled
      // rejection). What the handler meant to record is still due in PostgreSQL, so the sweepers
      // and the reconciler come back to it.
      this.logger.error(
        { job: job.name, jobId: job.id, err: handlerError instanceof Error ? handlerError.name : 'unknown' },
        'final-failure handling failed; the sweepers will retry',
      );
    }
  }

  /** A job failed for good. Override to flag a case or alert an admin; never swallow it. */
  protected async onFinalFailure(_job: Job, _error: Error): Promise<void> {}
}
