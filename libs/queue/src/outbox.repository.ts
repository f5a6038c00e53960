import type { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import { prepared } from '@panah/db';

/**
 * The `outbox` table's statements (libs/queue owns the table): the insert behind
 * enqueueInTransaction, the relay's claim and stamp, housekeeping and metrics. Other libraries
 * only ever insert into it, through outboxRowValues / enqueueInTransaction, in the statement or
 * transaction of the change that causes the job.
 */

/** The channel the outbox trigger notifies on every commit that wrote a row (migration 1763900000000). */
export const OUTBOX_CHANNEL = 'panah_outbox';

/** The checked values of an outbox row: job_name, payload (JSON text), job_id, not_before. */
export type OutboxRowValues = [
  jobName: string,
  payload: string,
  jobId: string | null,
  notBefore: Date | null,
];

/** A row waiting to be relayed, as the relay claims it. */
export interface PendingOutboxRow {
  id: string;
  job_name: string;
  payload: Record<string, unknown>;
  job_id: string | null;
  not_before: Date | null;
}

/** Inserts one outbox row in the caller's transaction; returns its id. */
export async function insertOutboxRow(m: EntityManager, values: OutboxRowValues): Promise<string> {
  const rows = await m.query<{ id: string }[]>(
    prepared(
      `INSERT INTO outbox (job_name, payload, job_id, not_before) VALUES ($1, $2, $3, $4) RETURNING id`,
    ),
    values,
  );
  return String(rows[0].id);
}

/**
 * Locks up to `limit` unrelayed rows of the given job names, oldest first, skipping rows another
 * relay holds (any number of workers may relay at once without relaying a row twice).
 */
export function claimPendingOutbox(
  m: EntityManager,
  limit: number,
  jobNames: readonly string[],
): Promise<PendingOutboxRow[]> {
  return m.query<PendingOutboxRow[]>(
    prepared(`SELECT id, job_name, payload, job_id, not_before FROM outbox
          WHERE relayed_at IS NULL AND job_name = ANY($2::text[])
          ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`),
    [limit, jobNames],
  );
}

/** Stamps claimed rows relayed, in the transaction that saw BullMQ accept them. */
export async function markOutboxRelayed(m: EntityManager, ids: readonly string[]): Promise<void> {
  await m.query(
    prepared(
      `UPDATE outbox SET relayed_at = now(), relay_attempts = relay_attempts + 1 WHERE id = ANY($1::bigint[])`,
    ),
    [ids],
  );
}

/** Subscribes a dedicated connection to the outbox's commit notifications. */
export async function listenForOutbox(client: Client): Promise<void> {
  await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
}

/** Deletes rows relayed more than `retentionHours` ago; returns how many. */
export async function pruneRelayedOutbox(m: EntityManager, retentionHours: number): Promise<number> {
  const rows = await m.query<{ deleted: number }[]>(
    `WITH gone AS (DELETE FROM outbox WHERE relayed_at < now() - make_interval(hours => $1) RETURNING 1)
     SELECT count(*)::int AS deleted FROM gone`,
    [retentionHours],
  );
  return rows[0].deleted;
}

/** Rows not relayed yet and the age in seconds of the oldest of them. */
export async function outboxBacklog(m: EntityManager): Promise<{ count: number; age: number }> {
  const rows = await m.query<{ count: number; age: number }[]>(
    `SELECT count(*)::int AS count, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float AS age
       FROM outbox WHERE relayed_at IS NULL`,
  );
  return rows[0];
}
