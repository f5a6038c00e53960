import { createHash } from 'node:crypto';

/**
 * The tamper-evident audit log (G6). Each entry is hashed together with the previous entry's
 * hash, `hash = BLAKE2b-512(prevHash || canonical(entry))`, so changing, inserting or deleting
 * any row breaks every later link. Entries hold who, what, when and target ids — never contents.
 */
export const AUDIT_GENESIS_HASH = '0'.repeat(128);

export type AuditActorType = 'staff' | 'system' | 'anonymous';
/** Detail values are ids, enums, counts and flags only. */
export type AuditDetailValue = string | number | boolean | null;
export type AuditDetails = Readonly<Record<string, AuditDetailValue>>;

export interface AuditEntryFields {
  /** Position in the chain, 1, 2, 3 … without gaps (bigint as a decimal string). */
  readonly seq: string;
  readonly at: Date;
  readonly actorType: AuditActorType;
  readonly actorId: string | null;
  readonly action: string;
  readonly targetType: string | null;
  readonly targetId: string | null;
  readonly details: AuditDetails;
}

export interface AuditRow extends AuditEntryFields {
  readonly prevHash: string;
  readonly hash: string;
}

/** `<capability>.<verb>`, e.g. `staff.approved`, `case.read`. */
export const AUDIT_ACTION_PATTERN = /^[a-z][a-z_]*\.[a-z][a-z_]*$/;
const DETAIL_KEY = /^[a-zA-Z][a-zA-Z0-9_]{0,39}$/;
const MAX_DETAIL_KEYS = 16;
const MAX_DETAIL_STRING = 200;

/** Why an entry cannot be written (a programming error in the caller, never user input). */
export function auditEntryProblem(e: Omit<AuditEntryFields, 'seq' | 'at'>): string | null {
  if (!AUDIT_ACTION_PATTERN.test(e.action)) return 'action must look like capability.verb';
  if (e.actorType === 'staff' && !e.actorId) return 'a staff actor needs an id';
  const keys = Object.keys(e.details);
  if (keys.length > MAX_DETAIL_KEYS) return 'too many details';
  for (const k of keys) {
    if (!DETAIL_KEY.test(k)) return `detail key ${k} is not allowed`;
    const v = e.details[k];
    if (typeof v === 'string' && v.length > MAX_DETAIL_STRING)
      return `detail ${k} is too long (ids and enums only)`;
    if (typeof v === 'number' && !Number.isFinite(v)) return `detail ${k} is not a finite number`;
  }
  return null;
}

function sortedDetails(details: AuditDetails): Record<string, AuditDetailValue> {
  const out: Record<string, AuditDetailValue> = {};
  for (const k of Object.keys(details).sort()) out[k] = details[k];
  return out;
}

/**
 * The canonical bytes of an entry: a JSON array in fixed field order with sorted detail keys,
 * so the hash does not depend on how PostgreSQL (jsonb) or a driver happens to order things.
 * Times are ISO-8601 with milliseconds, which is what round-trips through timestamptz.
 */
export function canonicalAuditEntry(e: AuditEntryFields): string {
  return JSON.stringify([
    'panah/audit/v1',
    e.seq,
    e.at.toISOString(),
    e.actorType,
    e.actorId,
    e.action,
    e.targetType,
    e.targetId,
    sortedDetails(e.details),
  ]);
}

export function auditHash(prevHash: string, e: AuditEntryFields): string {
  return createHash('blake2b512')
    .update(Buffer.from(prevHash, 'hex'))
    .update(canonicalAuditEntry(e), 'utf8')
    .digest('hex');
}

export type AuditChainProblem = 'seq_gap' | 'prev_hash_mismatch' | 'hash_mismatch' | 'head_mismatch';

export interface AuditChainBreak {
  readonly seq: string;
  readonly problem: AuditChainProblem;
}

/**
 * Streams over the rows in seq order and reports the first broken link: an edited row fails its
 * own hash, a deleted row leaves a gap in seq and a mismatching prevHash, a deleted tail no longer
 * matches the chain head. Use `push` per row, then `finish` with the stored head.
 */
export class AuditChainVerifier {
  private expectedSeq = 1n;
  private prev = AUDIT_GENESIS_HASH;
  private count = 0;

  push(row: AuditRow): AuditChainBreak | null {
    if (BigInt(row.seq) !== this.expectedSeq) return { seq: String(this.expectedSeq), problem: 'seq_gap' };
    if (row.prevHash !== this.prev) return { seq: row.seq, problem: 'prev_hash_mismatch' };
    if (auditHash(row.prevHash, row) !== row.hash) return { seq: row.seq, problem: 'hash_mismatch' };
    this.prev = row.hash;
    this.expectedSeq += 1n;
    this.count += 1;
    return null;
  }

  /** The head row records the last seq and hash at every append; a truncated tail shows here. */
  finish(head: { lastSeq: string; lastHash: string }): AuditChainBreak | null {
    const last = String(this.expectedSeq - 1n);
    if (head.lastSeq !== last || head.lastHash !== this.prev)
      return { seq: String(this.expectedSeq), problem: 'head_mismatch' };
    return null;
  }

  get verified(): number {
    return this.count;
  }

  get headHash(): string {
    return this.prev;
  }
}
