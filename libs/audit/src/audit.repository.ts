import type { EntityManager } from 'typeorm';
import type { AuditActorType, AuditDetails, AuditRow } from '@panah/domain';

/**
 * The `audit_log` and `audit_chain_head` statements (libs/audit owns both tables). Every method
 * takes the caller's EntityManager: an append runs in the transaction of the action it records,
 * a verification in its REPEATABLE READ snapshot.
 */

/** An `audit_log` row as PostgreSQL returns it. */
interface AuditLogRow {
  seq: string;
  at: Date;
  actor_type: AuditActorType;
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: AuditDetails;
  prev_hash: string;
  hash: string;
}

/** The chain head: the last entry's position and hash. */
export interface AuditChainHead {
  readonly lastSeq: string;
  readonly lastHash: string;
}

const COLUMNS = 'seq, at, actor_type, actor_id, action, target_type, target_id, details, prev_hash, hash';

function toEntry(r: AuditLogRow): AuditRow {
  return {
    seq: String(r.seq),
    at: r.at,
    actorType: r.actor_type,
    actorId: r.actor_id,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    details: r.details ?? {},
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

function toHead(r: { last_seq: string; last_hash: string } | undefined): AuditChainHead | null {
  return r ? { lastSeq: String(r.last_seq), lastHash: r.last_hash } : null;
}

/** Locks the single chain-head row (`FOR UPDATE`): concurrent appenders queue here. */
export async function lockAuditChainHead(m: EntityManager): Promise<AuditChainHead | null> {
  const rows = await m.query<{ last_seq: string; last_hash: string }[]>(
    'SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE',
  );
  return toHead(rows[0]);
}

/** The chain head as the caller's snapshot sees it. */
export async function readAuditChainHead(m: EntityManager): Promise<AuditChainHead | null> {
  const rows = await m.query<{ last_seq: string; last_hash: string }[]>(
    'SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1',
  );
  return toHead(rows[0]);
}

/** Writes one entry and moves the chain head to it (the caller holds the head's lock). */
export async function insertAuditEntry(m: EntityManager, row: AuditRow): Promise<void> {
  await m.query(`INSERT INTO audit_log (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, [
    row.seq,
    row.at,
    row.actorType,
    row.actorId,
    row.action,
    row.targetType,
    row.targetId,
    JSON.stringify(row.details),
    row.prevHash,
    row.hash,
  ]);
  await m.query('UPDATE audit_chain_head SET last_seq = $1, last_hash = $2 WHERE id = 1', [
    row.seq,
    row.hash,
  ]);
}

/** Up to `limit` entries older than `before` (all if null), newest first. */
export async function auditEntriesBefore(
  m: EntityManager,
  before: string | null,
  limit: number,
): Promise<AuditRow[]> {
  const rows = await m.query<AuditLogRow[]>(
    `SELECT ${COLUMNS} FROM audit_log WHERE ($1::bigint IS NULL OR seq < $1::bigint) ORDER BY seq DESC LIMIT $2`,
    [before, limit],
  );
  return rows.map(toEntry);
}

/** Up to `limit` entries after `after`, oldest first (the verifier's batches). */
export async function auditEntriesAfter(m: EntityManager, after: string, limit: number): Promise<AuditRow[]> {
  const rows = await m.query<AuditLogRow[]>(
    `SELECT ${COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2`,
    [after, limit],
  );
  return rows.map(toEntry);
}
