import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { attachmentPlaintextSize, isUuid } from '@panah/crypto';
import { DomainError, ErrorCode, IntakeReason } from '@panah/domain';
import { badRequest, conflict, reportNotFound } from './errors';

/** Rows of 256 KiB: few enough rows per blob, small enough to stream with little memory. */
export const CHUNK_ROW_BYTES = 256 * 1024;
export const MAX_ATTACHMENTS_PER_REPORT = 20;

export interface StoredAttachment {
  readonly id: string;
  readonly size: number;
}

/**
 * Attachment blobs (crypto-v1 §2 secretstream ciphertext, opaque to the server) streamed into
 * PostgreSQL as chunk rows, so a database backup holds everything. Each upload writes its chunks
 * under a fresh upload id, one short statement at a time (no connection is held while a slow
 * client sends), and becomes visible only in the final transaction that inserts the attachment
 * row; a refused or abandoned upload leaves no attachment and its chunks are deleted (or swept).
 * A retried upload with the same bytes answers like the first; different bytes are a 409.
 */
@Injectable()
export class AttachmentService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PANAH_CONFIG) private readonly config: PanahConfig,
  ) {}

  async store(
    reporterId: string,
    reportId: string,
    attachmentId: string,
    body: Readable,
    declaredLength: number | null,
  ): Promise<StoredAttachment & { created: boolean }> {
    if (!isUuid(reportId)) throw reportNotFound();
    if (!isUuid(attachmentId))
      throw badRequest(IntakeReason.BadReportId, 'The attachment id must be a lowercase UUID', [
        { path: 'attachmentId', message: 'must be a lowercase UUID' },
      ]);
    const max = this.config.intake.attachmentMaxBytes;
    if (declaredLength !== null && declaredLength > max) throw tooLarge(max);
    const owner = (await this.dataSource.query(
      `SELECT r.reporter_id, (SELECT count(*)::int FROM report_attachments a WHERE a.report_id = r.id) AS n,
              (SELECT sha256 FROM report_attachments a WHERE a.report_id = r.id AND a.id = $2) AS existing
         FROM reports r WHERE r.id = $1`,
      [reportId, attachmentId],
    )) as { reporter_id: string; n: number; existing: string | null }[];
    if (!owner[0] || owner[0].reporter_id !== reporterId) throw reportNotFound();
    if (owner[0].existing === null && owner[0].n >= MAX_ATTACHMENTS_PER_REPORT) {
      throw badRequest(
        IntakeReason.AttachmentLimit,
        `A report holds at most ${MAX_ATTACHMENTS_PER_REPORT} attachments`,
        [{ path: 'attachmentId', message: 'one attachment too many' }],
      );
    }

    const uploadId = randomUUID();
    const hash = createHash('sha256');
    let size = 0;
    try {
      size = await this.streamChunks(uploadId, body, hash, max);
      const sha256 = hash.digest('hex');
      if (attachmentPlaintextSize(size) === null) {
        throw badRequest(
          IntakeReason.AttachmentBadSize,
          'No well-formed encrypted attachment has this size (truncated upload?)',
          [{ path: 'body', message: 'is not a whole secretstream blob' }],
        );
      }
      return await this.dataSource.transaction(async (manager) => {
        const inserted = (await manager.query(
          `INSERT INTO report_attachments (report_id, id, upload_id, size, sha256) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (report_id, id) DO NOTHING RETURNING id`,
          [reportId, attachmentId, uploadId, size, sha256],
        )) as unknown[];
        if (inserted.length > 0) return { id: attachmentId, size, created: true };
        const existing = (await manager.query(
          `SELECT size, sha256 FROM report_attachments WHERE report_id = $1 AND id = $2`,
          [reportId, attachmentId],
        )) as {
          size: string;
          sha256: string;
        }[];
        await manager.query(`DELETE FROM attachment_chunks WHERE upload_id = $1`, [uploadId]);
        if (existing[0] && existing[0].sha256 === sha256 && Number(existing[0].size) === size)
          return { id: attachmentId, size, created: false };
        throw conflict(
          IntakeReason.AttachmentConflict,
          'A different attachment already exists under this id',
          [{ path: 'attachmentId', message: 'is already used by a different blob' }],
        );
      });
    } catch (error) {
      // Whatever went wrong, no staged bytes stay behind (best effort; the reconciler sweeps the rest).
      await this.dataSource
        .query(`DELETE FROM attachment_chunks WHERE upload_id = $1`, [uploadId])
        .catch(() => undefined);
      throw error;
    }
  }

  /** The stored blob, in order (for staff download and tests). */
  async read(reportId: string, attachmentId: string): Promise<Buffer | null> {
    const rows = (await this.dataSource.query(
      `SELECT c.data FROM report_attachments a JOIN attachment_chunks c ON c.upload_id = a.upload_id
        WHERE a.report_id = $1 AND a.id = $2 ORDER BY c.seq`,
      [reportId, attachmentId],
    )) as { data: Buffer }[];
    return rows.length > 0 ? Buffer.concat(rows.map((r) => r.data)) : null;
  }

  private async streamChunks(
    uploadId: string,
    body: Readable,
    hash: ReturnType<typeof createHash>,
    max: number,
  ): Promise<number> {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let size = 0;
    let seq = 0;
    const flush = async (): Promise<void> => {
      if (pendingBytes === 0) return;
      const data = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      await this.dataSource.query(
        `INSERT INTO attachment_chunks (upload_id, seq, data) VALUES ($1, $2, $3)`,
        [uploadId, seq++, data],
      );
    };
    try {
      for await (const piece of body as AsyncIterable<Buffer>) {
        size += piece.length;
        if (size > max) throw tooLarge(max);
        hash.update(piece);
        pending.push(piece);
        pendingBytes += piece.length;
        if (pendingBytes >= CHUNK_ROW_BYTES) await flush();
      }
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw badRequest(IntakeReason.AttachmentAborted, 'The upload was interrupted', [
        { path: 'body', message: 'ended early' },
      ]);
    }
    if (body.readableAborted)
      throw badRequest(IntakeReason.AttachmentAborted, 'The upload was interrupted', [
        { path: 'body', message: 'ended early' },
      ]);
    await flush();
    return size;
  }
}

function tooLarge(max: number): DomainError {
  return new DomainError(
    ErrorCode.PayloadTooLarge,
    `Attachments are limited to ${max} bytes`,
    [{ path: 'body', message: `must be at most ${max} bytes` }],
    IntakeReason.AttachmentTooLarge,
  );
}
