import { Processor } from '@nestjs/bullmq';
import { Inject, OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { EscalationEngine } from '@panah/escalation';
import { JobName, parseJobPayload, QueueName } from '@panah/queue';
import { JobProcessor } from '../job-processor';
import { PanahWorkerHost, WORKER_LOCKS } from '../processor-events';

/** Escalation wake-ups: each executes the run's due step if the run still expects it. */
@Processor(QueueName.Escalation, WORKER_LOCKS)
export class EscalationStepProcessor extends PanahWorkerHost implements JobProcessor, OnApplicationBootstrap {
  readonly queue = QueueName.Escalation;
  readonly handles = [JobName.EscalationStep] as const;

  constructor(
    private readonly engine: EscalationEngine,
    @Inject(PANAH_CONFIG) private readonly config: PanahConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.escalation.concurrency;
  }

  async process(job: Job): Promise<{ outcome: string }> {
    const name = job.name as (typeof this.handles)[number];
    switch (name) {
      case JobName.EscalationStep:
        return { outcome: await this.engine.executeDue(parseJobPayload(JobName.EscalationStep, job.data)) };
    }
  }

  protected override async onFinalFailure(job: Job): Promise<void> {
    // The run's next_step_at stays in the past, so the sweeper will wake it again; say so loudly.
    this.logger.error(
      { job: job.name, jobId: job.id, alert: 'escalation_step_failed' },
      'ALERT: an escalation step failed; the sweeper will retry it',
    );
  }
}
