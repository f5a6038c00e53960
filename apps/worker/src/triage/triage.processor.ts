import { Processor } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { CryptoError } from '@panah/crypto';
import { JobName, MicroBatcher, parseJobPayload, QueueName } from '@panah/queue';
import { type TriageResult, TriageService } from '@panah/triage';
import { JobProcessor } from '../job-processor';
import { PanahWorkerHost, WORKER_LOCKS } from '../processor-events';

/**
 * report.submitted → a routed, prioritised case (DESIGN "How a report travels", step 4). The
 * work is one transaction in TriageService; a report that can never be triaged (hints that do
 * not decrypt or do not parse) fails at once, anything else is retried with backoff, and the
 * final failure turns the report into a critical `triage_failed` case: never dropped.
 * Jobs that arrive while a triage transaction runs share the next one (up to the concurrency):
 * a lone report is triaged at once, and under a burst the cost per report falls instead of the
 * queue growing.
 */
@Processor(QueueName.Triage, { ...WORKER_LOCKS, concurrency: 32 })
export class TriageProcessor extends PanahWorkerHost implements JobProcessor {
  readonly queue = QueueName.Triage;
  readonly handles = [JobName.ReportSubmitted] as const;

  private readonly batches: MicroBatcher<string, TriageResult>;

  constructor(private readonly triage: TriageService) {
    super();
    this.batches = new MicroBatcher((ids) => this.triage.triageReports(ids), {
      maxBatch: 32,
      mode: { kind: 'demand', maxInFlight: 2 },
    });
  }

  async process(job: Job): Promise<{ caseId: string; outcome: string }> {
    const name = job.name as (typeof this.handles)[number];
    switch (name) {
      case JobName.ReportSubmitted: {
        const { reportId } = parseJobPayload(JobName.ReportSubmitted, job.data);
        try {
          return await this.batches.submit(reportId);
        } catch (error) {
          // Retrying cannot make undecryptable or malformed stored hints readable.
          if (error instanceof CryptoError)
            throw new UnrecoverableError(`stored hints unreadable: ${error.code}`);
          throw error;
        }
      }
    }
  }

  protected override async onFinalFailure(job: Job, error: Error): Promise<void> {
    const parsed = parseJobPayloadSafe(job.data);
    if (!parsed) return; // a payload without a report id names nothing to rescue
    const result = await this.triage.failReport(parsed, error.name);
    this.logger.error(
      { job: job.name, jobId: job.id, reportId: parsed, caseId: result.caseId },
      'triage failed for good; report opened as a critical triage_failed case',
    );
  }
}

function parseJobPayloadSafe(data: unknown): string | null {
  try {
    return parseJobPayload(JobName.ReportSubmitted, data).reportId;
  } catch {
    return null;
  }
}
