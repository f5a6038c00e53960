import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job } from 'bullmq';

/**
 * What every processor does with BullMQ's worker events: connection errors are expected during
 * a Redis outage (BullMQ reconnects; readiness reports it), so they are logged rarely instead of
 * flooding; a job's final failure is logged by job name and id (never its data) and handed to
 * `onFinalFailure`, which a processor overrides when a failure must become a case or an alert.
 */
export abstract class PanahWorkerHost extends WorkerHost {
  protected readonly logger = new Logger(this.constructor.name);
  private connectionErrors = 0;

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
    if (final) await this.onFinalFailure(job, error);
  }

  /** A job failed for good. Override to flag a case or alert an admin; never swallow it. */
  protected async onFinalFailure(_job: Job, _error: Error): Promise<void> {}
}
