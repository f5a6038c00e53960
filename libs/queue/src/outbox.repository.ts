import type { EntityManager } from 'typeorm';

/**
 * The `outbox` table's housekeeping and metrics statements (libs/queue owns the table). Other
 * libraries only ever insert into it, through outboxRowValues / enqueueInTransaction, in the
 * statement or transaction of the change that causes the job.
 */

/** Deletes rows relayed more than `retentionHours` ago; returns how many. */
export async function pruneRelayedOutbox(m: EntityManager, retentionHours: number): Promise<number> {
  const rows = (await m.query(
    `WITH gone AS (DELETE FROM outbox WHERE relayed_at < now() - make_interval(hours => $1) RETURNING 1)
     SELECT count(*)::int AS deleted FROM gone`,
    [retentionHours],
  )) as { deleted: number }[];
  return rows[0].deleted;
}

/** Rows not relayed yet and the age in seconds of the oldest of them. */
export async function outboxBacklog(m: EntityManager): Promise<{ count: number; age: number }> {
  const rows = (await m.query(
    `SELECT count(*)::int AS count, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float AS age
       FROM outbox WHERE relayed_at IS NULL`,
  )) as { count: number; age: number }[];
  return rows[0];
}
