import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { attachmentPlaintextSize, isUuid } from '@panah/crypto';
import { attachmentOverLimit, bytesRemaining, DomainError, ErrorCode, IntakeReason } from '@panah/domain';
import { AttachmentRepository } from './attachment.repository';
import { badRequest, conflict, overLimit, reportNotFound, uploadInFlight } from './errors';

/** Rows of 256 KiB: few enough rows per blob, small enough to stream with little memory. */
export const CHUNK_ROW_BYTES = 256 * 1024;
export const MAX_ATTACHMENTS_PER_REPORT = 20;
/** An upload lease outlives HTTP_REQUEST_TIMEOUT_MS by this much (the final transaction's time). */
const LEASE_MARGIN_SECONDS = 30;

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
    private readonly attachments: AttachmentRepository,
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
    const m = this.dataSource.manager;
    const target = await this.attachments.uploadTarget(m, reportId, attachmentId);
    if (!target || target.reporter_id !== reporterId) throw reportNotFound();
    // One upload in flight per reporter: a burst of parallel uploads would otherwise each stage
    // its bytes before the final locked check, briefly storing more than the quota allows. Taken
    // before the usage is read, so the cap below counts every upload that finished before it.
    const uploadId = randomUUID();
    if (!(await this.attachments.takeUploadLease(m, reporterId, uploadId, this.leaseSeconds())))
      throw uploadInFlight();
    try {
      // Refused before a byte is staged: a retry of a stored attachment answers below, anything
      // new must fit every limit (the final transaction checks again, under the reporter's lock).
      let cap = max;
      if (target.existing === null) {
        const usage = await this.attachments.usage(m, reporterId, reportId);
        const over = attachmentOverLimit(
          usage,
          this.config.intake.quota,
          MAX_ATTACHMENTS_PER_REPORT,
          declaredLength,
        );
        if (over) throw overLimit(over);
        cap = Math.min(max, bytesRemaining(usage, this.config.intake.quota));
      }
      return await this.streamAndAdopt(m, reporterId, reportId, attachmentId, uploadId, body, cap, max);
    } finally {
      // Success, refusal, client abort or timeout: the next upload may start. If this fails (or
      // the process dies first), the lease expires by itself.
      await this.attachments.releaseUploadLease(m, reporterId, uploadId).catch(() => undefined);
    }
  }

  /**
   * How long an upload's lease lasts: past the longest an upload request can live (Node cuts it
   * at HTTP_REQUEST_TIMEOUT_MS), so it never runs out under a live upload, and a crashed API's
   * lease blocks that reporter's uploads for at most this long.
   */
  private leaseSeconds(): number {
    return Math.ceil(this.config.api.timeouts.requestMs / 1000) + LEASE_MARGIN_SECONDS;
  }

  private async streamAndAdopt(
    m: EntityManager,
    reporterId: string,
    reportId: string,
    attachmentId: string,
    uploadId: string,
    body: Readable,
    cap: number,
    max: number,
  ): Promise<StoredAttachment & { created: boolean }> {
    const hash = createHash('sha256');
    let size = 0;
    try {
      size = await this.streamChunks(uploadId, body, hash, cap, max);
      const sha256 = hash.digest('hex');
      if (attachmentPlaintextSize(size) === null) {
        throw badRequest(
          IntakeReason.AttachmentBadSize,
          'No well-formed encrypted attachment has this size (truncated upload?)',
          [{ path: 'body', message: 'is not a whole secretstream blob' }],
        );
      }
      return await this.dataSource.transaction(async (tx) => {
        // Parallel uploads of one reporter take turns here, so none can each see room for one more.
        await this.attachments.lockReporterUploads(tx, reporterId);
        const existing = await this.attachments.find(tx, reportId, attachmentId);
        if (!existing) {
          const usage = await this.attachments.usage(tx, reporterId, reportId);
          const over = attachmentOverLimit(usage, this.config.intake.quota, MAX_ATTACHMENTS_PER_REPORT, size);
          if (over) throw overLimit(over);
          if (await this.attachments.insert(tx, { reportId, id: attachmentId, uploadId, size, sha256 }))
            return { id: attachmentId, size, created: true };
        }
        await this.attachments.deleteUpload(tx, uploadId);
        if (existing && existing.sha256 === sha256 && Number(existing.size) === size)
          return { id: attachmentId, size, created: false };
        throw conflict(
          IntakeReason.AttachmentConflict,
          'A different attachment already exists under this id',
          [{ path: 'attachmentId', message: 'is already used by a different blob' }],
        );
      });
    } catch (error) {
      // Whatever went wrong, no staged bytes stay behind (best effort; the reconciler sweeps the rest).
      await this.attachments.deleteUpload(m, uploadId).catch(() => undefined);
      throw error;
    }
  }

  /** The stored blob, in order (for staff download and tests). */
  async read(reportId: string, attachmentId: string): Promise<Buffer | null> {
    const chunks = await this.attachments.chunksOf(this.dataSource.manager, reportId, attachmentId);
    return chunks.length > 0 ? Buffer.concat(chunks) : null;
  }

  private async streamChunks(
    uploadId: string,
    body: Readable,
    hash: ReturnType<typeof createHash>,
    cap: number,
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
      await this.attachments.insertChunk(this.dataSource.manager, uploadId, seq++, data);
    };
    try {
      for await (const piece of body as AsyncIterable<Buffer>) {
        size += piece.length;
        if (size > max) throw tooLarge(max);
        // Past the reporter's remaining quota: cut off now, not after staging the rest.
        if (size > cap)
          throw overLimit({ limit: 'bytes', max: this.config.intake.quota.bytes, remaining: cap });
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
