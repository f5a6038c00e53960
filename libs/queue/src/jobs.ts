import type { JobsOptions } from 'bullmq';
import { z } from 'zod';

/** Any lowercase 8-4-4-4-12 hex id, like the UUIDs clients choose (no version/variant check). */
const entityId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

/**
 * Queue and job names. These strings are stored in Redis and in the outbox table:
 * NEVER rename a value (renaming strands jobs already queued); add a new name instead.
 */
export const QueueName = {
  Maintenance: 'maintenance',
  /** Turning submitted reports into cases (issue 6). */
  Triage: 'triage',
  /** The triage reconciler, apart from triage so a backlog there cannot delay it. */
  TriageReconcile: 'triage-reconcile',
  /** Case events the escalation engine consumes. */
  CaseEvents: 'case-events',
  /** Escalation steps (delayed jobs, one per run, step and round). */
  Escalation: 'escalation',
  /** The escalation sweeper, apart so a step backlog cannot delay the thing that repairs it. */
  EscalationSweep: 'escalation-sweep',
  /** Notification deliveries, per channel attempt. */
  Notify: 'notify',
  /** Check-in deadlines and reminders (issue 8): one delayed job per deadline. */
  Checkins: 'checkins',
  /** The check-in sweeper, apart so a deadline backlog cannot delay the thing that repairs it. */
  CheckinSweep: 'checkin-sweep',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const JobName = {
  /** Deletes relayed outbox rows past their retention. */
  OutboxPrune: 'maintenance.outbox-prune',
  /** A report was stored (intake's outbox row): triage it. */
  ReportSubmitted: 'report.submitted',
  /** Periodic: re-enqueue reports still `received` after a while (lost jobs). */
  TriageReconcile: 'triage.reconcile',
  /** A case was opened by triage, a check-in, a panic signal or a duress sign-in. */
  CaseOpened: 'case.opened',
  /** An open case was raised or received another report. */
  CaseUpdated: 'case.updated',
  /** Executes an escalation run's due step (or snooze end, or ack timeout). */
  EscalationStep: 'escalation.step',
  /** Periodic: re-enqueues runs and notifications whose wake-up was lost (Redis flush, dead worker). */
  EscalationSweep: 'escalation.sweep',
  /** Delivers one notification through one contact method. */
  NotificationDeliver: 'notification.deliver',
  /** A plan's deadline + grace passed: alert unless the reporter checked in. */
  CheckinDeadline: 'checkin.deadline',
  /** A reminder before a plan's deadline, into the reporter's inbox. */
  CheckinReminder: 'checkin.reminder',
  /** Periodic: alerts and reminders whose job was lost, and duress sign-ins not yet raised. */
  CheckinSweep: 'checkin.sweep',
} as const;
export type JobName = (typeof JobName)[keyof typeof JobName];

/**
 * Job payloads, keyed by job name. Ids and small parameters only: never report content, hints,
 * names or contact details (Redis is not encrypted at rest and is not trusted).
 */
export const jobPayloadSchemas = {
  [JobName.OutboxPrune]: z
    .object({
      retentionHours: z
        .number()
        .int()
        .min(1)
        .max(24 * 365),
    })
    .strict(),
  [JobName.ReportSubmitted]: z.object({ reportId: entityId }).strict(),
  [JobName.TriageReconcile]: z.object({}).strict(),
  [JobName.CaseOpened]: z.object({ caseId: entityId }).strict(),
  [JobName.CaseUpdated]: z
    .object({
      caseId: entityId,
      version: z.number().int().min(1),
      signal: z.enum(['report', 'missed_checkin', 'panic', 'duress']).optional(),
    })
    .strict(),
  [JobName.EscalationStep]: z
    .object({
      runId: z.string().uuid(),
      fence: z.number().int().min(0),
      step: z.number().int().min(0),
      round: z.number().int().min(0),
    })
    .strict(),
  [JobName.EscalationSweep]: z.object({}).strict(),
  [JobName.NotificationDeliver]: z
    .object({ notificationId: z.string().uuid(), attempt: z.number().int().min(1) })
    .strict(),
  [JobName.CheckinDeadline]: z.object({ planId: entityId }).strict(),
  [JobName.CheckinReminder]: z.object({ planId: entityId }).strict(),
  [JobName.CheckinSweep]: z.object({}).strict(),
} as const satisfies Record<JobName, z.ZodType>;

export type JobPayload<J extends JobName> = z.infer<(typeof jobPayloadSchemas)[J]>;

/** A job as a producer writes it: the payload type follows from the name. */
export type JobMessage = { [J in JobName]: { name: J; payload: JobPayload<J> } }[JobName];

/** The queue each job runs on. */
export const jobQueue: Record<JobName, QueueName> = {
  [JobName.OutboxPrune]: QueueName.Maintenance,
  [JobName.ReportSubmitted]: QueueName.Triage,
  [JobName.TriageReconcile]: QueueName.TriageReconcile,
  [JobName.CaseOpened]: QueueName.CaseEvents,
  [JobName.CaseUpdated]: QueueName.CaseEvents,
  [JobName.EscalationStep]: QueueName.Escalation,
  [JobName.EscalationSweep]: QueueName.EscalationSweep,
  [JobName.NotificationDeliver]: QueueName.Notify,
  [JobName.CheckinDeadline]: QueueName.Checkins,
  [JobName.CheckinReminder]: QueueName.Checkins,
  [JobName.CheckinSweep]: QueueName.CheckinSweep,
};

const keep = { removeOnComplete: { age: 24 * 3600, count: 10_000 }, removeOnFail: false } as const;

/** One options constant per job: retries, backoff, retention. `jobId` comes from the producer. */
export const jobOptions: Record<JobName, JobsOptions> = {
  [JobName.OutboxPrune]: { ...keep, attempts: 3, backoff: { type: 'exponential', delay: 5_000 } },
  // 0.5 + 1 + 2 + 4 s of retries, then the report becomes a critical `triage_failed` case.
  [JobName.ReportSubmitted]: { ...keep, attempts: 5, backoff: { type: 'exponential', delay: 500 } },
  [JobName.TriageReconcile]: {
    removeOnComplete: { count: 100 },
    removeOnFail: { count: 1_000 },
    attempts: 1,
  },
  [JobName.CaseOpened]: { ...keep, attempts: 10, backoff: { type: 'exponential', delay: 1_000 } },
  [JobName.CaseUpdated]: { ...keep, attempts: 10, backoff: { type: 'exponential', delay: 1_000 } },
  // Retries cover PostgreSQL hiccups; a step that still fails is re-enqueued by the sweeper.
  [JobName.EscalationStep]: {
    removeOnComplete: { age: 3_600, count: 50_000 },
    removeOnFail: { age: 7 * 86_400 },
    attempts: 5,
    backoff: { type: 'exponential', delay: 250 },
  },
  [JobName.EscalationSweep]: {
    removeOnComplete: { count: 100 },
    removeOnFail: { count: 1_000 },
    attempts: 1,
  },
  // Channel retries are the processor's own (recorded per attempt); these cover infrastructure errors.
  [JobName.NotificationDeliver]: {
    removeOnComplete: { age: 3_600, count: 50_000 },
    removeOnFail: { age: 7 * 86_400 },
    attempts: 3,
    backoff: { type: 'exponential', delay: 500 },
  },
  // Retries cover PostgreSQL hiccups; a deadline that still fails is picked up by the sweeper.
  [JobName.CheckinDeadline]: {
    removeOnComplete: { age: 3_600, count: 20_000 },
    removeOnFail: { age: 7 * 86_400 },
    attempts: 5,
    backoff: { type: 'exponential', delay: 250 },
  },
  [JobName.CheckinReminder]: {
    removeOnComplete: { age: 3_600, count: 20_000 },
    removeOnFail: { age: 7 * 86_400 },
    attempts: 5,
    backoff: { type: 'exponential', delay: 500 },
  },
  [JobName.CheckinSweep]: { removeOnComplete: { count: 100 }, removeOnFail: { count: 1_000 }, attempts: 1 },
};

/** Job ids derived from the entity, so a repeated announcement collapses into one job. */
export const reportSubmittedJobId = (reportId: string): string => `report-submitted-${reportId}`;
export const caseOpenedJobId = (caseId: string): string => `case-opened-${caseId}`;
export const caseUpdatedJobId = (caseId: string, version: number): string =>
  `case-updated-${caseId}-${version}`;
/** (run, step, round) plus the fencing token: a wake-up scheduled before an ack or snooze never collides with one after. */
export const escalationStepJobId = (p: {
  runId: string;
  fence: number;
  step: number;
  round: number;
}): string => `esc-${p.runId}-${p.step}-${p.round}-${p.fence}`;
export const notificationJobId = (notificationId: string, attempt: number): string =>
  `ntf-${notificationId}-${attempt}`;
/** (plan, alert time): re-arming one deadline collapses; the next deadline is a new job. */
export const checkinDeadlineJobId = (planId: string, alertAt: Date): string =>
  `checkin-deadline-${planId}-${alertAt.getTime()}`;
export const checkinReminderJobId = (planId: string, remindAt: Date): string =>
  `checkin-reminder-${planId}-${remindAt.getTime()}`;

export const ALL_JOB_NAMES: readonly JobName[] = Object.values(JobName);
export const ALL_QUEUE_NAMES: readonly QueueName[] = Object.values(QueueName);

export function isJobName(name: string): name is JobName {
  return (ALL_JOB_NAMES as readonly string[]).includes(name);
}
