import { Processor } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { JobName, parseJobPayload, QueueName } from '@panah/queue';
import { JobProcessor } from '../job-processor';
import { PanahWorkerHost } from '../processor-events';

/**
 * case.opened / case.updated are the escalation engine's input. Until escalation exists this
 * processor only validates and acknowledges them (the case row in PostgreSQL is the durable
 * state; escalation will start from open cases, not from these wake-ups). Escalation replaces
 * this class with its own processor for the same jobs.
 */
@Processor(QueueName.CaseEvents)
export class CaseEventsProcessor extends PanahWorkerHost implements JobProcessor {
  readonly queue = QueueName.CaseEvents;
  readonly handles = [JobName.CaseOpened, JobName.CaseUpdated] as const;

  async process(job: Job): Promise<{ caseId: string }> {
    const name = job.name as (typeof this.handles)[number];
    switch (name) {
      case JobName.CaseOpened:
        return { caseId: parseJobPayload(JobName.CaseOpened, job.data).caseId };
      case JobName.CaseUpdated:
        return { caseId: parseJobPayload(JobName.CaseUpdated, job.data).caseId };
    }
  }
}
