import { InjectQueue, Processor } from '@nestjs/bullmq';
import { Job, Queue } from 'bullmq';
import { JobName, jobOptions, parseJobPayload, QueueName, reportSubmittedJobId } from '@panah/queue';
import { ReconcilerService } from '@panah/triage';
import { JobProcessor } from '../job-processor';
import { PanahWorkerHost, WORKER_LOCKS } from '../processor-events';

/**
 * The safety net under the outbox (G3): reports still `received` after a while are put back on
 * the triage queue under their usual job id. A job that still exists collapses into itself; a
 * job lost from Redis is created again; a job that failed without its final-failure handling
 * completing (e.g. PostgreSQL was down then) is retried. Also sweeps chunks of abandoned uploads.
 */
@Processor(QueueName.TriageReconcile, WORKER_LOCKS)
export class TriageReconcileProcessor extends PanahWorkerHost implements JobProcessor {
  readonly queue = QueueName.TriageReconcile;
  readonly handles = [JobName.TriageReconcile] as const;
  protected override readonly onOutage = 'skip';

  constructor(
    private readonly reconciler: ReconcilerService,
    @InjectQueue(QueueName.Triage) private readonly triageQueue: Queue,
  ) {
    super();
  }

  async process(job: Job): Promise<{ requeued: number; retried: number; swept: number }> {
    const name = job.name as (typeof this.handles)[number];
    switch (name) {
      case JobName.TriageReconcile: {
        parseJobPayload(JobName.TriageReconcile, job.data);
        let requeued = 0;
        let retried = 0;
        for (const reportId of await this.reconciler.staleReportIds(500)) {
          const jobId = reportSubmittedJobId(reportId);
          const existing = await this.triageQueue.getJob(jobId);
          if (existing && (await existing.getState()) === 'failed') {
            await existing.retry('failed');
            retried++;
          } else if (!existing) {
            await this.triageQueue.add(
              JobName.ReportSubmitted,
              { reportId },
              { ...jobOptions[JobName.ReportSubmitted], jobId },
            );
            requeued++;
          }
        }
        const swept = await this.reconciler.sweepAbandonedUploads();
        if (requeued + retried > 0)
          this.logger.warn({ requeued, retried }, 'reconciler re-enqueued reports stuck in received');
        return { requeued, retried, swept };
      }
    }
  }
}
