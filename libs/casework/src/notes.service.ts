import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditLog } from '@panah/audit';
import { CaseNoteRepository, type CaseNoteRow } from '@panah/cases';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { fromB64u, isUuid, kid } from '@panah/crypto';
import { CaseReaders, type CaseViewer } from './case-readers';
import { checkAuthor, checkEnvelope, checkRecipients } from './envelope-check';
import { badRequest, CaseworkReason, conflict } from './errors';

export interface NoteView {
  readonly id: string;
  readonly caseId: string;
  readonly authorStaffId: string;
  readonly envelope: Record<string, unknown>;
  readonly createdAt: string;
}

export const noteView = (r: CaseNoteRow): NoteView => ({
  id: r.id,
  caseId: r.caseId,
  authorStaffId: r.authorId,
  envelope: r.envelope,
  createdAt: r.createdAt.toISOString(),
});

/**
 * Case notes (crypto-v1 §9, kind `note`): sealed to the author, optionally the case's other
 * readers, and the directory's recovery keys (required, so the organisation never loses a note);
 * signed by the author's staff key. Idempotent by id.
 */
@Injectable()
export class NotesService {
  private readonly digestKey: Buffer;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PANAH_CONFIG) config: PanahConfig,
    private readonly readers: CaseReaders,
    private readonly notes: CaseNoteRepository,
    private readonly audit: AuditLog,
  ) {
    this.digestKey = Buffer.from(config.tokenKey, 'base64url');
  }

  async write(
    caseId: string,
    noteId: string,
    viewer: CaseViewer,
    body: { envelope?: unknown },
  ): Promise<{ note: NoteView; created: boolean }> {
    return this.dataSource.transaction(async (m) => {
      const { access, me } = await this.readers.requireReadable(m, caseId, viewer);
      if (!isUuid(noteId))
        throw badRequest(CaseworkReason.BadEnvelope, 'The note id must be a lowercase UUID', [
          { path: 'noteId', message: 'must be a lowercase UUID' },
        ]);
      const envelope = checkEnvelope(body.envelope, 'note', noteId);
      checkAuthor(envelope, envelope.author.kid === kid(fromB64u(me.signPk, 'signPk')) ? me.signPk : null);
      const readers = await this.readers.readersOf(m, access);
      const recovery = await this.readers.recoveryKeyRefs();
      const mine = this.readers.staffKeyRef(me);
      const allowed = new Set([
        mine.kid,
        ...readers.map((r) => this.readers.staffKeyRef(r).kid),
        ...recovery.map((r) => r.kid),
      ]);
      checkRecipients(envelope, allowed, [
        { kid: mine.kid, what: 'your own box key' },
        ...recovery.map((r) => ({ kid: r.kid, what: 'the recovery key' })),
      ]);
      const digest = createHmac('sha256', this.digestKey)
        .update(`panah/case-note\n${me.staffId}\n${JSON.stringify(envelope)}`)
        .digest('base64url');
      const { row, created } = await this.notes.insertIfAbsent(m, {
        id: noteId,
        caseId: access.id,
        authorId: me.staffId,
        envelopeJson: JSON.stringify(envelope),
        requestDigest: digest,
      });
      if (!created && (row.requestDigest !== digest || row.caseId !== access.id)) {
        throw conflict(CaseworkReason.NoteConflict, 'A different note already exists under this id', [
          { path: 'noteId', message: 'is already used by a different note' },
        ]);
      }
      if (created)
        await this.audit.append(m, {
          actorType: 'staff',
          actorId: me.staffId,
          action: 'case.note_written',
          targetType: 'case',
          targetId: access.id,
          details: { noteId },
        });
      return { note: noteView(row), created };
    });
  }
}
