import type { EntityManager } from 'typeorm';
import { JobMessage, JobName, JobPayload, jobPayloadSchemas } from './jobs';
import { insertOutboxRow } from './outbox.repository';

export interface OutboxOptions {
  /** BullMQ job id derived from the entity (e.g. `triage-<reportId>`), so duplicates collapse. */
  readonly jobId?: string;
  /** Do not run the job before this time. */
  readonly notBefore?: Date;
}

const JOB_ID = /^[A-Za-z0-9_.-]{1,200}$/; // BullMQ forbids ':' in custom ids

/**
 * Announces a job in the caller's transaction: it reaches BullMQ only if the transaction commits,
 * and it will reach BullMQ even if Redis is down right now (guarantee G3).
 */
export async function enqueueInTransaction<J extends JobName>(
  manager: EntityManager,
  name: J,
  payload: JobPayload<J>,
  options: OutboxOptions = {},
): Promise<string> {
  return insertOutboxRow(manager, outboxRowValues(name, payload, options));
}

/**
 * The checked values of an outbox row (job_name, payload, job_id, not_before), for a single
 * statement that writes the row together with the change that causes it, e.g.
 * `WITH r AS (INSERT … RETURNING …) INSERT INTO outbox (…) SELECT $7, $8, $9, $10 FROM r`:
 * one statement is atomic on its own, so the pair needs no explicit transaction (one round trip
 * instead of four on a hot path).
 */
export function outboxRowValues<J extends JobName>(
  name: J,
  payload: JobPayload<J>,
  options: OutboxOptions = {},
): [J, string, string | null, Date | null] {
  // Validate at the producer too: a bad payload is a bug here, not a poisoned job later.
  jobPayloadSchemas[name].parse(payload);
  if (options.jobId !== undefined && !JOB_ID.test(options.jobId))
    throw new Error(`invalid job id for ${name}`);
  return [name, JSON.stringify(payload), options.jobId ?? null, options.notBefore ?? null];
}
/** Convenience for a typed JobMessage. */
export function enqueueMessage(
  manager: EntityManager,
  message: JobMessage,
  options?: OutboxOptions,
): Promise<string> {
  return enqueueInTransaction(manager, message.name, message.payload, options);
}

/** The BullMQ job id of an outbox row: the entity-derived one if given, else from the row id. */
export function outboxJobId(row: { id: string; jobId: string | null }): string {
  return row.jobId ?? `outbox-${row.id}`;
}
