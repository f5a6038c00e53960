import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import {
  type Envelope,
  fromB64u,
  type HintsCipher,
  isUuid,
  SignatureError,
  validateEnvelope,
  verifyAuthor,
} from '@panah/crypto';
import {
  canonicalHintsJson,
  FieldProblem,
  IntakeReason,
  ReportStatus,
  TriageHints,
  validateHints,
} from '@panah/domain';
import { badRequest, conflict, overLimit, reportNotFound } from './errors';
import { HINTS_CIPHER } from './hints-cipher.provider';
import { ReportListItem, ReportRepository, StoredReportHead } from './report.repository';

export interface ReportView {
  readonly id: string;
  readonly status: ReportStatus;
  readonly receivedAt: string;
}

export interface SubmitResult {
  readonly report: ReportView;
  /** False when this was a retry of a report already stored. */
  readonly created: boolean;
}

const view = (h: Pick<StoredReportHead, 'id' | 'status' | 'receivedAt'>): ReportView => ({
  id: h.id,
  status: h.status,
  receivedAt: h.receivedAt.toISOString(),
});

/**
 * Report intake (G1–G3, G7): validates everything the server can check without keys, encrypts
 * the hints the moment they arrive, and stores the report with its `report.submitted` outbox row
 * in one statement (atomic). Idempotent by the client-chosen id: the same request again returns the
 * stored result; a different request under that id is a 409.
 */
@Injectable()
export class ReportService {
  private readonly digestKey: Buffer;

  constructor(
    @Inject(PANAH_CONFIG) private readonly config: PanahConfig,
    @Inject(HINTS_CIPHER) private readonly hintsCipher: HintsCipher,
    private readonly reports: ReportRepository,
  ) {
    this.digestKey = Buffer.from(config.tokenKey, 'base64url');
  }

  async submit(
    reporterId: string,
    reportId: string,
    body: { envelope?: unknown; hints?: unknown },
  ): Promise<SubmitResult> {
    if (!isUuid(reportId))
      throw badRequest(IntakeReason.BadReportId, 'The report id must be a lowercase UUID', [
        { path: 'id', message: 'must be a lowercase UUID' },
      ]);
    const envelope = this.checkEnvelope(reportId, body.envelope);
    const hints = this.checkHints(body.hints);
    const digest = this.requestDigest(reporterId, envelope, hints);

    const ctx = await this.reports.submissionContext(envelope.author.kid, reporterId);
    if (!ctx.directory)
      throw conflict(
        IntakeReason.NoDirectory,
        'No key directory is published yet; reports cannot be addressed',
      );
    const known = new Set(ctx.directory.intakeKids);
    const strangers = envelope.recipients.flatMap((r, i) =>
      known.has(r.kid)
        ? []
        : [
            {
              path: `envelope.recipients[${i}].kid`,
              message: 'is not an intake key of the current directory',
            },
          ],
    );
    if (strangers.length > 0) {
      // A retry after the directory rotated must still get its original answer.
      const replay = await this.replayOf(reportId, reporterId, digest);
      if (replay) return replay;
      throw badRequest(
        IntakeReason.UnknownRecipient,
        'Recipients must be intake keys of the current directory',
        strangers,
      );
    }
    if (!ctx.authorSignPk) {
      throw badRequest(
        IntakeReason.UnknownAuthor,
        'The envelope must be signed with one of your registered keys',
        [{ path: 'envelope.author.kid', message: 'is not one of your keys' }],
      );
    }
    try {
      verifyAuthor(envelope, fromB64u(ctx.authorSignPk, 'signPk'));
    } catch (error) {
      if (!(error instanceof SignatureError)) throw error;
      throw badRequest(IntakeReason.BadSignature, 'The envelope signature does not verify', [
        { path: 'envelope.author.sig', message: 'does not verify' },
      ]);
    }

    const storedHints = hints ? this.hintsCipher.encrypt(reportId, canonicalHintsJson(hints)) : null;
    const inserted = await this.reports.insertIfAbsent(
      {
        id: reportId,
        reporterId,
        envelopeJson: JSON.stringify(envelope),
        hints: storedHints,
        requestDigest: digest,
        directorySerial: ctx.directory?.serial ?? '0',
      },
      this.config.intake.quota.reportsPerDay,
    );
    if (inserted === 'overQuota') {
      // The id was free when the statement began; a retry racing its original is answered as one.
      const replay = await this.replayOf(reportId, reporterId, digest);
      if (replay) return replay;
      throw overLimit({ limit: 'reportsPerDay', max: this.config.intake.quota.reportsPerDay });
    }
    if (inserted !== 'taken') return { report: view(inserted), created: true };
    const replay = await this.replayOf(reportId, reporterId, digest);
    if (replay) return replay;
    throw conflict(IntakeReason.ReportConflict, 'A different report already exists under this id', [
      { path: 'id', message: 'is already used by a different report' },
    ]);
  }

  async get(
    reporterId: string,
    reportId: string,
  ): Promise<ReportView & { attachments: { id: string; size: number }[] }> {
    if (!isUuid(reportId)) throw reportNotFound();
    const head = await this.reports.head(reportId);
    if (!head || head.reporterId !== reporterId) throw reportNotFound();
    return { ...view(head), attachments: await this.reports.attachmentsOf(reportId) };
  }

  async list(
    reporterId: string,
    limit: number,
    cursor?: string,
  ): Promise<{ items: ReportView[]; nextCursor: string | null }> {
    const rows: ReportListItem[] = await this.reports.listForReporter(
      reporterId,
      limit + 1,
      cursor === undefined ? undefined : decodeCursor(cursor),
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(view), nextCursor: rows.length > limit && last ? last.id : null };
  }

  private checkEnvelope(reportId: string, input: unknown): Envelope {
    const result = validateEnvelope(input, {
      expectedId: reportId,
      expectedKind: 'report',
      maxCiphertextBytes: this.config.api.bodyLimitBytes,
    });
    if (result.ok) return result.envelope;
    const fields: FieldProblem[] = result.errors.map((e) => ({
      path: e.field === '$' ? 'envelope' : `envelope.${e.field}`,
      message: e.problem,
    }));
    if (isRetiredVersion(input))
      throw badRequest(
        IntakeReason.EnvelopeV1Retired,
        'Envelope v1 is retired: seal the report as envelope v2 (crypto-v1 §1)',
        fields,
      );
    const onlyId =
      fields.every((f) => f.path === 'envelope.id') &&
      fields.some((f) => f.message === 'does not match the resource id');
    throw badRequest(
      onlyId ? IntakeReason.IdMismatch : IntakeReason.BadEnvelope,
      onlyId ? 'The envelope id differs from the report id' : 'Malformed envelope',
      fields,
    );
  }

  private checkHints(input: unknown): TriageHints | null {
    const result = validateHints(input);
    if (result.ok) return result.hints;
    throw badRequest(result.reason, 'Invalid triage hints', result.problems);
  }

  /**
   * Keyed, so that the digest column cannot be used to test guesses of the (small-vocabulary)
   * hints by anyone holding only a copy of the database.
   */
  private requestDigest(reporterId: string, envelope: Envelope, hints: TriageHints | null): string {
    return createHmac('sha256', this.digestKey)
      .update(
        `panah/report-request\n${reporterId}\n${JSON.stringify(envelope)}\n${canonicalHintsJson(hints)}`,
      )
      .digest('base64url');
  }

  private async replayOf(reportId: string, reporterId: string, digest: string): Promise<SubmitResult | null> {
    const existing = await this.reports.head(reportId);
    return existing && existing.reporterId === reporterId && existing.requestDigest === digest
      ? { report: view(existing), created: false }
      : null;
  }
}

/** An envelope of the retired v1 format (its signature did not cover the recipients). */
export function isRetiredVersion(input: unknown): boolean {
  return typeof input === 'object' && input !== null && (input as { v?: unknown }).v === 1;
}

/** Cursors are the last id of the previous page; anything else is a 400 naming `cursor`. */
export function decodeCursor(cursor: string): string {
  if (!isUuid(cursor))
    throw badRequest('request/bad_cursor', 'Invalid cursor', [
      { path: 'cursor', message: 'must be an id from the previous page' },
    ]);
  return cursor;
}
