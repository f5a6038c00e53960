import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  AuditActorType,
  AuditChainBreak,
  AuditChainVerifier,
  AuditDetails,
  auditEntryProblem,
  auditHash,
  AuditRow,
  Principal,
} from '@panah/domain';
import {
  auditEntriesAfter,
  auditEntriesBefore,
  insertAuditEntry,
  lockAuditChainHead,
  readAuditChainHead,
} from './audit.repository';

/** What a caller records: who did what to which ids. `seq`, time and hashes are assigned here. */
export interface NewAuditEntry {
  readonly actorType: AuditActorType;
  readonly actorId: string | null;
  readonly action: string;
  readonly targetType?: string | null;
  readonly targetId?: string | null;
  readonly details?: AuditDetails;
}

export interface AuditPage {
  readonly entries: AuditRow[];
  /** Pass as `cursor` for the next (older) page; null at the start of the log. */
  readonly nextCursor: string | null;
}

export type AuditVerification =
  | { readonly ok: true; readonly entries: number; readonly headHash: string }
  | { readonly ok: false; readonly entries: number; readonly broken: AuditChainBreak };

/** The audit actor for an authenticated principal. */
export function actorOf(principal: Principal): Pick<NewAuditEntry, 'actorType' | 'actorId'> {
  return principal.kind === 'staff'
    ? { actorType: 'staff', actorId: principal.staffId }
    : { actorType: 'anonymous', actorId: null };
}

/**
 * The tamper-evident audit log (G6). `append` writes inside the caller's transaction, so an
 * action and its audit entry commit or vanish together. The chain is serialised by locking the
 * single chain-head row (`FOR UPDATE`): concurrent appenders from any number of API instances
 * queue on that lock, and each sees the head the previous one committed.
 */
@Injectable()
export class AuditLog {
  constructor(private readonly ds: DataSource) {}

  async append(manager: EntityManager, entry: NewAuditEntry): Promise<AuditRow> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('AuditLog.append must run inside the transaction of the action it records');
    }
    const fields = {
      actorType: entry.actorType,
      actorId: entry.actorId,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      details: entry.details ?? {},
    };
    const problem = auditEntryProblem(fields);
    if (problem) throw new Error(`invalid audit entry ${entry.action}: ${problem}`);
    const head = await lockAuditChainHead(manager);
    if (!head) throw new Error('audit chain head is missing (database not migrated?)');
    const seq = String(BigInt(head.lastSeq) + 1n);
    const row = { ...fields, seq, at: new Date(), prevHash: head.lastHash, hash: '' };
    row.hash = auditHash(row.prevHash, row);
    await insertAuditEntry(manager, row);
    return row;
  }

  /** For events that are not part of another write (e.g. a failed sign-in). */
  appendAlone(entry: NewAuditEntry): Promise<AuditRow> {
    return this.ds.transaction((manager) => this.append(manager, entry));
  }

  /** Newest first, keyset-paginated by seq. */
  async page(options: { cursor?: string; limit: number }): Promise<AuditPage> {
    const limit = Math.min(Math.max(options.limit, 1), 200);
    const rows = await auditEntriesBefore(this.ds.manager, options.cursor ?? null, limit + 1);
    const entries = rows.slice(0, limit);
    const more = rows.length > limit;
    return { entries, nextCursor: more ? entries[entries.length - 1].seq : null };
  }
}

/**
 * Recomputes the whole chain from a consistent snapshot (REPEATABLE READ, so appends running
 * meanwhile neither show up half-way nor move the head) and reports the first broken link.
 */
export async function verifyAuditLog(ds: DataSource, batchSize = 1000): Promise<AuditVerification> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction('REPEATABLE READ');
    const verifier = new AuditChainVerifier();
    let after = '0';
    for (;;) {
      const rows = await auditEntriesAfter(runner.manager, after, batchSize);
      for (const r of rows) {
        const broken = verifier.push(r);
        if (broken) return { ok: false, entries: verifier.verified, broken };
      }
      if (rows.length < batchSize) break;
      after = rows[rows.length - 1].seq;
    }
    const head = await readAuditChainHead(runner.manager);
    const broken = verifier.finish({
      lastSeq: head?.lastSeq ?? 'missing',
      lastHash: head?.lastHash ?? '',
    });
    if (broken) return { ok: false, entries: verifier.verified, broken };
    return { ok: true, entries: verifier.verified, headHash: verifier.headHash };
  } finally {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    await runner.release();
  }
}
