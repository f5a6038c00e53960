import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditLog } from '@panah/audit';
import { fromB64u, kid } from '@panah/crypto';
import { DomainError, ErrorCode } from '@panah/domain';
import { type StaffKeyRow, StaffKeysRepository } from '@panah/identity';
import { CaseMaterialRepository } from '@panah/intake';
import { CaseReaders, type CaseViewer, type KeyRef } from './case-readers';
import { CaseworkReason } from './errors';

export interface StaffKeyView {
  readonly staffId: string;
  readonly label: string;
  readonly role: string;
  readonly status: string;
  readonly boxKid: string;
  readonly boxPk: string;
  readonly signKid: string;
  readonly signPk: string;
  /** Teams the person works in: a supervisor handing a case over seals grants to the new team's members. */
  readonly teamIds: readonly string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function staffKeyView(s: StaffKeyRow): StaffKeyView {
  return {
    staffId: s.staffId,
    label: s.label,
    role: s.role,
    status: s.status,
    boxKid: kid(fromB64u(s.boxPk, 'boxPk')),
    boxPk: s.boxPk,
    signKid: kid(fromB64u(s.signPk, 'signPk')),
    signPk: s.signPk,
    teamIds: s.teamIds,
  };
}

/** Attachments for staff, the recipients of a case's notes and messages, and staff public keys. */
@Injectable()
export class CaseFilesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly readers: CaseReaders,
    private readonly material: CaseMaterialRepository,
    private readonly staffKeys: StaffKeysRepository,
    private readonly audit: AuditLog,
  ) {}

  async recipients(caseId: string, viewer: CaseViewer): Promise<{ message: KeyRef[]; note: KeyRef[] }> {
    const m = this.dataSource.manager;
    const { access, me } = await this.readers.requireReadable(m, caseId, viewer);
    return this.readers.recipients(m, access, me);
  }

  /**
   * The stored blob of one of the case's attachments, read one 256 KiB chunk row per statement as
   * the client consumes it (never the whole blob in memory). The read is audited before a byte
   * is sent.
   */
  async attachment(
    caseId: string,
    attachmentId: string,
    viewer: CaseViewer,
  ): Promise<{ size: number; stream: Readable }> {
    const found = await this.dataSource.transaction(async (m) => {
      const { access } = await this.readers.requireReadable(m, caseId, viewer);
      const blob = UUID.test(attachmentId)
        ? await this.material.attachmentOfCase(m, access.id, attachmentId)
        : null;
      if (!blob)
        throw new DomainError(
          ErrorCode.NotFound,
          'No such attachment',
          [],
          CaseworkReason.AttachmentNotFound,
        );
      await this.audit.append(m, {
        actorType: 'staff',
        actorId: viewer.staffId,
        action: 'case.attachment_read',
        targetType: 'case',
        targetId: access.id,
        details: { attachmentId },
      });
      return blob;
    });
    const material = this.material;
    const manager = this.dataSource.manager;
    let seq = 0;
    const stream = new Readable({
      highWaterMark: 1,
      objectMode: false,
      read(): void {
        if (seq >= found.chunks) {
          this.push(null);
          return;
        }
        material.chunk(manager, found.uploadId, seq++).then(
          (data) => {
            if (data === null) this.destroy(new Error('attachment chunk missing'));
            else this.push(data);
          },
          (error: unknown) =>
            this.destroy(error instanceof Error ? error : new Error('attachment read failed')),
        );
      },
    });
    return { size: found.size, stream };
  }

  /** A staff member's public keys by the kid of either key (to verify a signature or check a recipient). */
  async staffKey(keyId: string): Promise<StaffKeyView> {
    const all = (await this.staffKeys.all(this.dataSource.manager)).map(staffKeyView);
    const hit = all.find((s) => s.signKid === keyId || s.boxKid === keyId);
    if (!hit)
      throw new DomainError(ErrorCode.NotFound, 'No staff key has this kid', [], CaseworkReason.KeyNotFound);
    return hit;
  }

  /** Active supervisors' and caseworkers' public keys (for the directory's `staff` list and for colleagues to compare kids). */
  async activeStaffKeys(): Promise<StaffKeyView[]> {
    return (await this.staffKeys.activeCaseStaff(this.dataSource.manager)).map(staffKeyView);
  }
}
