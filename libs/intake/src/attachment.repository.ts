import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AttachmentUsage } from '@panah/domain';

/** The report an upload names, as the upload sees it before streaming. */
export interface UploadTargetRow {
  reporter_id: string;
  /** sha256 of an attachment already stored under this id, or null. */
  existing: string | null;
}

export interface StoredAttachmentRow {
  size: string;
  sha256: string;
}

export interface NewAttachment {
  readonly reportId: string;
  readonly id: string;
  readonly uploadId: string;
  readonly size: number;
  readonly sha256: string;
}

/** Start of the current UTC day, as SQL (the daily quotas' window). */
const UTC_TODAY = `(date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')`;

/** The `report_attachments` and `attachment_chunks` tables' statements, with the caller's manager. */
@Injectable()
export class AttachmentRepository {
  /** The report's owner and any attachment already under this id, or null without such a report. */
  async uploadTarget(
    m: EntityManager,
    reportId: string,
    attachmentId: string,
  ): Promise<UploadTargetRow | null> {
    const rows = (await m.query(
      `SELECT r.reporter_id,
              (SELECT sha256 FROM report_attachments a WHERE a.report_id = r.id AND a.id = $2) AS existing
         FROM reports r WHERE r.id = $1`,
      [reportId, attachmentId],
    )) as UploadTargetRow[];
    return rows[0] ?? null;
  }

  /**
   * Serialises every attachment insert of one reporter until the transaction ends, so the usage
   * read next (a new statement, a new snapshot) counts every attachment committed before it. An
   * advisory lock, not the reporter row: signals lock that row and need not wait for uploads.
   */
  async lockReporterUploads(m: EntityManager, reporterId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('panah.reporter-uploads'), hashtext($1))`, [
      reporterId,
    ]);
  }

  /**
   * Takes the reporter's one upload lease for `uploadId` until `ttlSeconds` from now; false while
   * another upload holds a live one. One statement (its own transaction): concurrent takers of
   * one reporter meet on the primary key and exactly one wins; an expired lease (its API crashed)
   * is taken over.
   */
  async takeUploadLease(
    m: EntityManager,
    reporterId: string,
    uploadId: string,
    ttlSeconds: number,
  ): Promise<boolean> {
    const rows = (await m.query(
      `INSERT INTO reporter_upload_leases (reporter_id, upload_id, expires_at)
       VALUES ($1, $2, now() + make_interval(secs => $3))
       ON CONFLICT (reporter_id) DO UPDATE SET upload_id = EXCLUDED.upload_id, expires_at = EXCLUDED.expires_at
        WHERE reporter_upload_leases.expires_at <= now()
       RETURNING upload_id`,
      [reporterId, uploadId, ttlSeconds],
    )) as { upload_id: string }[];
    return rows.length === 1;
  }

  /** Gives the lease back (only the upload that holds it can). */
  async releaseUploadLease(m: EntityManager, reporterId: string, uploadId: string): Promise<void> {
    await m.query(`DELETE FROM reporter_upload_leases WHERE reporter_id = $1 AND upload_id = $2`, [
      reporterId,
      uploadId,
    ]);
  }

  /** The reporter's attachment usage and this report's count, in one round trip. */
  async usage(m: EntityManager, reporterId: string, reportId: string): Promise<AttachmentUsage> {
    const rows = (await m.query(
      `SELECT (SELECT count(*)::int FROM report_attachments WHERE report_id = $2) AS report_attachments,
              COALESCE(sum(a.size), 0)::text AS bytes_stored,
              (count(*) FILTER (WHERE a.created_at >= ${UTC_TODAY}))::int AS attachments_today
         FROM reports r JOIN report_attachments a ON a.report_id = r.id WHERE r.reporter_id = $1`,
      [reporterId, reportId],
    )) as { report_attachments: number; bytes_stored: string; attachments_today: number }[];
    const row = rows[0];
    return {
      reportAttachments: row.report_attachments,
      bytesStored: Number(row.bytes_stored),
      attachmentsToday: row.attachments_today,
    };
  }

  async insertChunk(m: EntityManager, uploadId: string, seq: number, data: Buffer): Promise<void> {
    await m.query(`INSERT INTO attachment_chunks (upload_id, seq, data) VALUES ($1, $2, $3)`, [
      uploadId,
      seq,
      data,
    ]);
  }

  async deleteUpload(m: EntityManager, uploadId: string): Promise<void> {
    await m.query(`DELETE FROM attachment_chunks WHERE upload_id = $1`, [uploadId]);
  }

  async find(m: EntityManager, reportId: string, attachmentId: string): Promise<StoredAttachmentRow | null> {
    const rows = (await m.query(
      `SELECT size, sha256 FROM report_attachments WHERE report_id = $1 AND id = $2`,
      [reportId, attachmentId],
    )) as StoredAttachmentRow[];
    return rows[0] ?? null;
  }

  /** Adopts the staged upload as the attachment; false if the id was taken meanwhile. */
  async insert(m: EntityManager, a: NewAttachment): Promise<boolean> {
    const rows = (await m.query(
      `INSERT INTO report_attachments (report_id, id, upload_id, size, sha256) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (report_id, id) DO NOTHING RETURNING id`,
      [a.reportId, a.id, a.uploadId, a.size, a.sha256],
    )) as unknown[];
    return rows.length > 0;
  }

  /** The blob's chunks in order, or none. */
  async chunksOf(m: EntityManager, reportId: string, attachmentId: string): Promise<Buffer[]> {
    const rows = (await m.query(
      `SELECT c.data FROM report_attachments a JOIN attachment_chunks c ON c.upload_id = a.upload_id
        WHERE a.report_id = $1 AND a.id = $2 ORDER BY c.seq`,
      [reportId, attachmentId],
    )) as { data: Buffer }[];
    return rows.map((r) => r.data);
  }
}
