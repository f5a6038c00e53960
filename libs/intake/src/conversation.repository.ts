import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A row of a case's conversation (`reporter_messages`, crypto-v1 §9). */
export interface ConversationRow {
  readonly id: string;
  readonly reporterId: string;
  readonly reportId: string | null;
  readonly caseId: string | null;
  readonly from: 'staff' | 'reporter';
  readonly authorStaffId: string | null;
  readonly envelope: Record<string, unknown>;
  readonly requestDigest: string | null;
  readonly createdAt: Date;
}

export interface NewConversationMessage {
  readonly id: string;
  readonly reporterId: string;
  readonly reportId: string | null;
  readonly caseId: string | null;
  readonly from: 'staff' | 'reporter';
  readonly authorStaffId: string | null;
  readonly envelopeJson: string;
  readonly requestDigest: string;
}

interface Row {
  id: string;
  reporter_id: string;
  report_id: string | null;
  case_id: string | null;
  author_type: 'staff' | 'reporter';
  author_staff_id: string | null;
  envelope: Record<string, unknown>;
  request_digest: string | null;
  created_at: Date;
}

const COLUMNS = `id, reporter_id, report_id, case_id, author_type, author_staff_id, envelope, request_digest, created_at`;
const rowOf = (r: Row): ConversationRow => ({
  id: r.id,
  reporterId: r.reporter_id,
  reportId: r.report_id,
  caseId: r.case_id,
  from: r.author_type,
  authorStaffId: r.author_staff_id,
  envelope: r.envelope,
  requestDigest: r.request_digest,
  createdAt: r.created_at,
});

/** Owner of `reporter_messages`: every statement on the conversation table, with the caller's transaction. */
@Injectable()
export class ConversationRepository {
  /** Inserts unless the id exists; returns the stored row either way and whether this call wrote it. */
  async insertIfAbsent(
    m: EntityManager,
    msg: NewConversationMessage,
  ): Promise<{ row: ConversationRow; created: boolean }> {
    const inserted = (await m.query(
      `INSERT INTO reporter_messages (id, reporter_id, report_id, case_id, author_type, author_staff_id, envelope, request_digest)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8) ON CONFLICT (id) DO NOTHING RETURNING ${COLUMNS}`,
      [
        msg.id,
        msg.reporterId,
        msg.reportId,
        msg.caseId,
        msg.from,
        msg.authorStaffId,
        msg.envelopeJson,
        msg.requestDigest,
      ],
    )) as Row[];
    if (inserted[0]) return { row: rowOf(inserted[0]), created: true };
    const existing = (await m.query(`SELECT ${COLUMNS} FROM reporter_messages WHERE id = $1`, [
      msg.id,
    ])) as Row[];
    return { row: rowOf(existing[0]), created: false };
  }

  /** A reporter's conversation, both directions, newest first (keyset on created_at, id). */
  async listForReporter(
    m: EntityManager,
    reporterId: string,
    limit: number,
    afterId: string | null,
  ): Promise<ConversationRow[]> {
    const rows = (await m.query(
      `SELECT ${COLUMNS} FROM reporter_messages
        WHERE reporter_id = $1
          AND ($2::uuid IS NULL OR (created_at, id) < (SELECT created_at, id FROM reporter_messages WHERE id = $2::uuid AND reporter_id = $1))
        ORDER BY created_at DESC, id DESC LIMIT $3`,
      [reporterId, afterId, limit],
    )) as Row[];
    return rows.map(rowOf);
  }

  /** A case's conversation, oldest first: messages filed under the case or under one of its reports. */
  async forCase(m: EntityManager, caseId: string): Promise<ConversationRow[]> {
    const rows = (await m.query(
      `SELECT ${COLUMNS} FROM reporter_messages WHERE case_id = $1
       UNION
       SELECT ${COLUMNS} FROM reporter_messages WHERE case_id IS NULL AND report_id IN (SELECT id FROM reports WHERE case_id = $1)
       ORDER BY created_at, id`,
      [caseId],
    )) as Row[];
    return rows.map(rowOf);
  }
}
