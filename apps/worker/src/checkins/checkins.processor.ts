import { Processor } from '@nestjs/bullmq';
import { Inject, OnModuleInit } from '@nestjs/common';
import { DelayedError, Job } from 'bullmq';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { type AlertResult, DeadlineService } from '@panah/checkins';
import { JobName, jobPayloadSchemas, MicroBatcher, parseJobPayload, QueueName } from '@panah/queue';
import { JobProcessor } from '../job-processor';
import { PanahWorkerHost, WORKER_LOCKS } from '../processor-events';

/** A job that wakes up this close before its plan's alert time waits for it rather than for the sweeper. */
const EARLY_TOLERANCE_MS = 10_000;

/**
 * Check-in deadlines and reminders: each job only says "look at plan X now"; the plan row in
 * PostgreSQL decides whether anything is due (a check-in may have moved the deadline since).
 */
@Processor(QueueName.Checkins, { ...WORKER_LOCKS, concurrency: 32 })
export class CheckinsProcessor extends PanahWorkerHost implements JobProcessor, OnModuleInit {
  readonly queue = QueueName.Checkins;
  readonly handles = [JobName.CheckinDeadline, JobName.CheckinReminder] as const;

  /** Deadlines that fire together are decided together (one transaction per batch). */
  private readonly alerts: MicroBatcher<string, AlertResult>;

  constructor(
    private readonly deadlines: DeadlineService,
    @Inject(PANAH_CONFIG) private readonly config: PanahConfig,
  ) {
    super();
    this.alerts = new MicroBatcher((ids) => this.deadlines.fireAlerts(ids), {
      maxBatch: 50,
      mode: { kind: 'wait', maxWaitMs: 5 },
    });
  }

  onModuleInit(): void {
    this.worker.concurrency = this.config.checkins.concurrency;
  }

  async process(job: Job, token?: string): Promise<string> {
    const name = job.name as (typeof this.handles)[number];
    switch (name) {
      case JobName.CheckinDeadline: {
        const { planId } = parseJobPayload(JobName.CheckinDeadline, job.data);
        const result = await this.alerts.submit(planId);
        // Fired a little early (clocks of the relay and this worker differ): wait for the deadline.
        if (
          result.kind === 'not_due' &&
          token &&
          result.alertAt.getTime() - Date.now() < EARLY_TOLERANCE_MS
        ) {
          const expected = jobAlertAt(job.id);
          if (expected !== null && expected === result.alertAt.getTime()) {
            await job.moveToDelayed(expected + 1, token);
            throw new DelayedError();
          }
        }
        return result.kind;
      }
      case JobName.CheckinReminder: {
        const { planId } = parseJobPayload(JobName.CheckinReminder, job.data);
        return this.deadlines.deliverReminder(planId);
      }
    }
  }

  protected override async onFinalFailure(job: Job): Promise<void> {
    // A deadline that failed for good still alerts (fail safe); a reminder stays due and the
    // sweeper retries it. The base class has logged the failure (ids only).
    if (job.name !== JobName.CheckinDeadline) return;
    const parsed = jobPayloadSchemas[JobName.CheckinDeadline].safeParse(job.data);
    // If even this fails (database down), alert_at is still due and the sweeper gets it.
    if (parsed.success) await this.deadlines.failSafeAlert(parsed.data.planId).catch(() => undefined);
  }
}

/** The alert time encoded in a deadline job id (`checkin-deadline-<plan>-<epoch ms>`). */
function jobAlertAt(jobId: string | undefined): number | null {
  const m = /-(\d{10,})$/.exec(jobId ?? '');
  return m ? Number(m[1]) : null;
}
