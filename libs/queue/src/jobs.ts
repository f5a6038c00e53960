import type { JobsOptions } from 'bullmq';
import { z } from 'zod';

/**
 * Queue and job names. These strings are stored in Redis and in the outbox table:
 * NEVER rename a value (renaming strands jobs already queued); add a new name instead.
 */
export const QueueName = {
  Maintenance: 'maintenance',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const JobName = {
  /** Deletes relayed outbox rows past their retention. */
  OutboxPrune: 'maintenance.outbox-prune',
} as const;
export type JobName = (typeof JobName)[keyof typeof JobName];

/**
 * Job payloads, keyed by job name. Ids and small parameters only: never report content, hints,
 * names or contact details (Redis is not encrypted at rest and is not trusted).
 */
export const jobPayloadSchemas = {
  [JobName.OutboxPrune]: z.object({ retentionHours: z.number().int().min(1).max(24 * 365) }).strict(),
} as const satisfies Record<JobName, z.ZodType>;

export type JobPayload<J extends JobName> = z.infer<(typeof jobPayloadSchemas)[J]>;

/** A job as a producer writes it: the payload type follows from the name. */
export type JobMessage = { [J in JobName]: { name: J; payload: JobPayload<J> } }[JobName];

/** The queue each job runs on. */
export const jobQueue: Record<JobName, QueueName> = {
  [JobName.OutboxPrune]: QueueName.Maintenance,
};

const keep = { removeOnComplete: { age: 24 * 3600, count: 10_000 }, removeOnFail: false } as const;

/** One options constant per job: retries, backoff, retention. `jobId` comes from the producer. */
export const jobOptions: Record<JobName, JobsOptions> = {
  [JobName.OutboxPrune]: { ...keep, attempts: 3, backoff: { type: 'exponential', delay: 5_000 } },
};

export const ALL_JOB_NAMES: readonly JobName[] = Object.values(JobName);
export const ALL_QUEUE_NAMES: readonly QueueName[] = Object.values(QueueName);

export function isJobName(name: string): name is JobName {
  return (ALL_JOB_NAMES as readonly string[]).includes(name);
}
