import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface CaseReportRow {
  readonly id: string;
  readonly envelope: Record<string, unknown>;
  /** HintsCipher string, or null. */
  readonly hints: string | null;
  readonly receivedAt: Date;
  readonly attachments: { id: string; size: number }[];
}

export interface ReporterKeyRow {
  readonly kid: string;
  readonly signPk: string;
  readonly boxPk: string;
  readonly purpose: 'primary' | 'duress';
}

export interface AttachmentBlobRow {
  readonly reportId: string;
  readonly uploadId: string;
  readonly size: number;
  readonly chunks: number;
}

/**
 * What case work reads from intake's tables (reports, report_attachments, attachment_chunks,
 * reporter_keys, reports' own metadata): single-purpose statements with the caller's manager.
 */
@Injectable()
export class CaseMaterialRepository {
  /** The reports of a case with their attachments (ids and sizes), oldest first. */
  async reportsOfCase(m: EntityManager, caseId: string): Promise<CaseReportRow[]> {
    const rows = (await m.query(
      `SELECT r.id, r.envelope, r.hints, r.received_at,
              COALESCE((SELECT json_agg(json_build_object('id', a.id, 'size', a.size) ORDER BY a.created_at, a.id) FROM report_attachments a WHERE a.report_id = r.id), '[]') AS attachments
         FROM reports r WHERE r.case_id = $1 ORDER BY r.received_at, r.id`,
      [caseId],
    )) as {
      id: string;
      envelope: Record<string, unknown>;
      hints: string | null;
      received_at: Date;
      attachments: { id: string; size: string | number }[];
    }[];
    return rows.map((r) => ({
      id: r.id,
      envelope: r.envelope,
      hints: r.hints,
      receivedAt: r.received_at,
      attachments: r.attachments.map((a) => ({ id: a.id, size: Number(a.size) })),
    }));
  }

  /** A report's owner and case (null if no such report). */
  async reportOwner(
    m: EntityManager,
    reportId: string,
  ): Promise<{ reporterId: string; caseId: string | null } | null> {
    const rows = (await m.query(`SELECT reporter_id, case_id FROM reports WHERE id = $1`, [reportId])) as {
      reporter_id: string;
      case_id: string | null;
    }[];
    return rows[0] ? { reporterId: rows[0].reporter_id, caseId: rows[0].case_id } : null;
  }

  async reporterKeys(m: EntityManager, reporterId: string): Promise<ReporterKeyRow[]> {
    const rows = (await m.query(
      `SELECT kid, sign_pk, box_pk, purpose FROM reporter_keys WHERE reporter_id = $1 ORDER BY purpose DESC, kid`,
      [reporterId],
    )) as {
      kid: string;
      sign_pk: string;
      box_pk: string;
      purpose: 'primary' | 'duress';
    }[];
    return rows.map((r) => ({ kid: r.kid, signPk: r.sign_pk, boxPk: r.box_pk, purpose: r.purpose }));
  }

  /** An attachment of one of the case's reports (null if none). */
  async attachmentOfCase(
    m: EntityManager,
    caseId: string,
    attachmentId: string,
  ): Promise<AttachmentBlobRow | null> {
    const rows = (await m.query(
      `SELECT a.report_id, a.upload_id, a.size, (SELECT count(*)::int FROM attachment_chunks c WHERE c.upload_id = a.upload_id) AS chunks
         FROM report_attachments a JOIN reports r ON r.id = a.report_id WHERE r.case_id = $1 AND a.id = $2`,
      [caseId, attachmentId],
    )) as { report_id: string; upload_id: string; size: string; chunks: number }[];
    return rows[0]
      ? {
          reportId: rows[0].report_id,
          uploadId: rows[0].upload_id,
          size: Number(rows[0].size),
          chunks: rows[0].chunks,
        }
      : null;
  }

  /** One chunk row of a stored blob (a short statement: streaming holds no connection between chunks). */
  async chunk(m: EntityManager, uploadId: string, seq: number): Promise<Buffer | null> {
    const rows = (await m.query(`SELECT data FROM attachment_chunks WHERE upload_id = $1 AND seq = $2`, [
      uploadId,
      seq,
    ])) as { data: Buffer }[];
    return rows[0]?.data ?? null;
  }
}
