import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditLog } from '@panah/audit';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { type Envelope, fromB64u, isUuid, kid } from '@panah/crypto';
import { CaseUpdateNotifier } from '@panah/escalation';
import {
  CaseMaterialRepository,
  type ConversationRow,
  ConversationRepository,
  KeyDirectoryService,
} from '@panah/intake';
import { CaseReaders, type CaseViewer } from './case-readers';
import { checkAuthor, checkEnvelope, checkRecipients } from './envelope-check';
import { badCursor, badRequest, CaseworkReason, conflict, reportNotFound } from './errors';

export interface MessageView {
  readonly id: string;
  readonly caseId: string | null;
  readonly reportId: string | null;
  readonly from: 'staff' | 'reporter';
  readonly authorStaffId: string | null;
  readonly envelope: Record<string, unknown>;
  readonly createdAt: string;
}

export const messageView = (r: ConversationRow): MessageView => ({
  id: r.id,
  caseId: r.caseId,
  reportId: r.reportId,
  from: r.from,
  authorStaffId: r.authorStaffId,
  envelope: r.envelope,
  createdAt: r.createdAt.toISOString(),
});

/**
 * A case's conversation (crypto-v1 §9). Staff messages are sealed to the reporter's box key, the
 * author's and (optionally) the other readers' box keys, signed by the author's staff key.
 * Reporter messages are sealed like a report (to the directory's keys) and signed by the reporter;
 * each one notifies the case's assignee (else its participants, else its team) with the
 * content-free case-update text, in the message's transaction. It opens or raises nothing.
 * Both are idempotent by id: identical replay 200, a different body 409.
 */
@Injectable()
export class ConversationService {
  private readonly digestKey: Buffer;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PANAH_CONFIG) config: PanahConfig,
    private readonly readers: CaseReaders,
    private readonly conversation: ConversationRepository,
    private readonly material: CaseMaterialRepository,
    private readonly directory: KeyDirectoryService,
    private readonly notifier: CaseUpdateNotifier,
    private readonly audit: AuditLog,
  ) {
    this.digestKey = Buffer.from(config.tokenKey, 'base64url');
  }

  private digest(kind: string, who: string, envelope: Envelope): string {
    return createHmac('sha256', this.digestKey)
      .update(`panah/${kind}\n${who}\n${JSON.stringify(envelope)}`)
      .digest('base64url');
  }

  async staffMessage(
    caseId: string,
    messageId: string,
    viewer: CaseViewer,
    body: { envelope?: unknown },
  ): Promise<{ message: MessageView; created: boolean }> {
    return this.dataSource.transaction(async (m) => {
      const { access, me } = await this.readers.requireReadable(m, caseId, viewer);
      if (!isUuid(messageId))
        throw badRequest(CaseworkReason.BadEnvelope, 'The message id must be a lowercase UUID', [
          { path: 'messageId', message: 'must be a lowercase UUID' },
        ]);
      const envelope = checkEnvelope(body.envelope, 'message', messageId);
      checkAuthor(envelope, envelope.author.kid === kid(fromB64u(me.signPk, 'signPk')) ? me.signPk : null);
      const reporter = await this.readers.reporterKeyRef(m, access.reporterId);
      const readers = await this.readers.readersOf(m, access);
      const mine = this.readers.staffKeyRef(me);
      const allowed = new Set([
        ...(reporter ? [reporter.kid] : []),
        mine.kid,
        ...readers.map((r) => this.readers.staffKeyRef(r).kid),
      ]);
      checkRecipients(envelope, allowed, [
        ...(reporter ? [{ kid: reporter.kid, what: "the reporter's box key" }] : []),
        { kid: mine.kid, what: 'your own box key' },
      ]);
      const digest = this.digest('case-message', me.staffId, envelope);
      const { row, created } = await this.conversation.insertIfAbsent(m, {
        id: messageId,
        reporterId: access.reporterId,
        reportId: null,
        caseId: access.id,
        from: 'staff',
        authorStaffId: me.staffId,
        envelopeJson: JSON.stringify(envelope),
        requestDigest: digest,
      });
      if (!created && (row.requestDigest !== digest || row.caseId !== access.id)) {
        throw conflict(CaseworkReason.MessageConflict, 'A different message already exists under this id', [
          { path: 'messageId', message: 'is already used by a different message' },
        ]);
      }
      if (created) {
        await this.audit.append(m, {
          actorType: 'staff',
          actorId: me.staffId,
          action: 'case.message_sent',
          targetType: 'case',
          targetId: access.id,
          details: { messageId },
        });
      }
      return { message: messageView(row), created };
    });
  }

  /** A reporter's message in the conversation of the case their report belongs to. */
  async reporterMessage(
    reporterId: string,
    reportId: string,
    messageId: string,
    body: { envelope?: unknown },
  ): Promise<{ message: MessageView; created: boolean }> {
    if (!isUuid(reportId)) throw reportNotFound();
    if (!isUuid(messageId))
      throw badRequest(CaseworkReason.BadEnvelope, 'The message id must be a lowercase UUID', [
        { path: 'messageId', message: 'must be a lowercase UUID' },
      ]);
    return this.dataSource.transaction(async (m) => {
      const owner = await this.material.reportOwner(m, reportId);
      if (!owner || owner.reporterId !== reporterId) throw reportNotFound();
      const envelope = checkEnvelope(body.envelope, 'message', messageId);
      const current = await this.directory.current();
      if (!current)
        throw conflict(
          CaseworkReason.NoDirectory,
          'No key directory is published yet; messages cannot be addressed',
        );
      checkRecipients(envelope, new Set(current.intakeKids), []);
      const keys = await this.material.reporterKeys(m, reporterId);
      checkAuthor(envelope, keys.find((k) => k.kid === envelope.author.kid)?.signPk ?? null);
      const digest = this.digest('reporter-message', reporterId, envelope);
      const { row, created } = await this.conversation.insertIfAbsent(m, {
        id: messageId,
        reporterId,
        reportId,
        caseId: owner.caseId,
        from: 'reporter',
        authorStaffId: null,
        envelopeJson: JSON.stringify(envelope),
        requestDigest: digest,
      });
      if (!created && (row.requestDigest !== digest || row.reporterId !== reporterId)) {
        throw conflict(CaseworkReason.MessageConflict, 'A different message already exists under this id', [
          { path: 'messageId', message: 'is already used by a different message' },
        ]);
      }
      if (created && owner.caseId !== null) {
        const access = await this.readers.accessOf(m, owner.caseId);
        await this.notifier.notifyAssignee(
          m,
          { caseId: owner.caseId, event: 'reporter_message', eventId: messageId },
          access?.assigneeId ?? null,
        );
      }
      return { message: messageView(row), created };
    });
  }

  /** The reporter's conversation, both directions, newest first. */
  async listForReporter(
    reporterId: string,
    limit: number,
    cursor?: string,
  ): Promise<{ items: MessageView[]; nextCursor: string | null }> {
    if (cursor !== undefined && !isUuid(cursor)) throw badCursor();
    const rows = await this.conversation.listForReporter(
      this.dataSource.manager,
      reporterId,
      limit + 1,
      cursor ?? null,
    );
    const page = rows.slice(0, limit);
    return {
      items: page.map(messageView),
      nextCursor: rows.length > limit ? page[page.length - 1].id : null,
    };
  }
}
