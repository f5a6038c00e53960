import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface CaseNoteRow {
  readonly id: string;
  readonly caseId: string;
  readonly authorId: string;
  readonly envelope: Record<string, unknown>;
  readonly requestDigest: string;
  readonly createdAt: Date;
}

interface Row {
  id: string;
  case_id: string;
  author_id: string;
  envelope: Record<string, unknown>;
  request_digest: string;
  created_at: Date;
}

const rowOf = (r: Row): CaseNoteRow => ({
  id: r.id,
  caseId: r.case_id,
  authorId: r.author_id,
  envelope: r.envelope,
  requestDigest: r.request_digest,
  createdAt: r.created_at,
});

/** Owner of `case_notes` (crypto-v1 §9 notes: ciphertext only). */
@Injectable()
export class CaseNoteRepository {
  async insertIfAbsent(
    m: EntityManager,
    note: { id: string; caseId: string; authorId: string; envelopeJson: string; requestDigest: string },
  ): Promise<{ row: CaseNoteRow; created: boolean }> {
    const inserted = (await m.query(
      `INSERT INTO case_notes (id, case_id, author_id, envelope, request_digest) VALUES ($1, $2, $3, $4::jsonb, $5)
       ON CONFLICT (id) DO NOTHING RETURNING id, case_id, author_id, envelope, request_digest, created_at`,
      [note.id, note.caseId, note.authorId, note.envelopeJson, note.requestDigest],
    )) as Row[];
    if (inserted[0]) return { row: rowOf(inserted[0]), created: true };
    const existing = (await m.query(
      `SELECT id, case_id, author_id, envelope, request_digest, created_at FROM case_notes WHERE id = $1`,
      [note.id],
    )) as Row[];
    return { row: rowOf(existing[0]), created: false };
  }

  async forCase(m: EntityManager, caseId: string): Promise<CaseNoteRow[]> {
    const rows = (await m.query(
      `SELECT id, case_id, author_id, envelope, request_digest, created_at FROM case_notes WHERE case_id = $1 ORDER BY created_at, id`,
      [caseId],
    )) as Row[];
    return rows.map(rowOf);
  }
}
