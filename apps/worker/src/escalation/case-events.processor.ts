import { Processor } from '@nestjs/bullmq';
import { Inject, OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { EscalationEngine, type StartOutcome } from '@panah/escalation';
import { JobName, MicroBatcher, parseJobPayload, QueueName } from '@panah/queue';
import { JobProcessor } from '../job-processor';
import { PanahWorkerHost, WORKER_LOCKS } from '../processor-events';

/**
 * case.opened starts the case's escalation; case.updated restarts it when the severity was
 * raised, or ends it when the case was resolved. Both are idempotent (the run row decides).
 * case.opened events that arrive while a start runs share the next transaction, as in triage.
 */
@Processor(QueueName.CaseEvents, WORKER_LOCKS)
export class EscalationCaseEventsProcessor
  extends PanahWorkerHost
  implements JobProcessor, OnApplicationBootstrap
{
  readonly queue = QueueName.CaseEvents;
  readonly handles = [JobName.CaseOpened, JobName.CaseUpdated] as const;

  private readonly starts: MicroBatcher<string, StartOutcome>;

  constructor(
    private readonly engine: EscalationEngine,
    @Inject(PANAH_CONFIG) private readonly config: PanahConfig,
  ) {
    super();
    this.starts = new MicroBatcher((ids) => this.engine.startForCases(ids), {
      maxBatch: 32,
      mode: { kind: 'demand', maxInFlight: 2 },
    });
  }

  onApplicationBootstrap(): void {
    // A burst of cases (a mass-casualty day) must start escalating in parallel, not one by one.
    this.worker.concurrency = this.config.escalation.concurrency;
  }

  async process(job: Job): Promise<{ outcome: string }> {
    const name = job.name as (typeof this.handles)[number];
    switch (name) {
      case JobName.CaseOpened:
        return { outcome: await this.starts.submit(parseJobPayload(JobName.CaseOpened, job.data).caseId) };
      case JobName.CaseUpdated: {
        const p = parseJobPayload(JobName.CaseUpdated, job.data);
        return {
          outcome: await this.engine.caseUpdated(p.caseId, new Date(), {
            version: p.version,
            signal: p.signal ?? null,
          }),
        };
      }
    }
  }

  protected override async onFinalFailure(job: Job): Promise<void> {
    // The case row stays open with no run: the case list shows it, and an admin must look now.
    this.logger.error(
      { job: job.name, jobId: job.id, alert: 'escalation_not_started' },
      'ALERT: a case has no escalation',
    );
  }
}
