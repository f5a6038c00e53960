import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditLog } from '@panah/audit';
import { AuditAction, DomainError, ErrorCode, StaffRole, StaffStatus } from '@panah/domain';
import { StaffSessions } from './staff-sessions.service';
import { StaffStore } from './staff-store.repository';

/** What a signed-in staff member may know about themselves, including what their client needs to unlock their keys. */
export interface OwnProfile {
  readonly staffId: string;
  readonly login: string;
  readonly label: string;
  readonly role: StaffRole;
  readonly status: StaffStatus;
  readonly teams: { id: string; name: string }[];
  readonly kdfSalt: string;
  readonly boxPk: string;
  readonly signPk: string;
  /** Opens only with encKey, which never leaves the person's device (crypto-v1 §4). */
  readonly protectedSecret: string;
}

@Injectable()
export class StaffProfile {
  constructor(
    private readonly ds: DataSource,
    private readonly store: StaffStore,
    private readonly sessions: StaffSessions,
    private readonly audit: AuditLog,
  ) {}

  async me(staffId: string): Promise<OwnProfile> {
    const s = await this.store.findById(this.ds.manager, staffId);
    if (!s) throw new DomainError(ErrorCode.Unauthenticated, 'A valid session is required');
    return {
      staffId: s.id,
      login: s.login,
      label: s.label,
      role: s.role as StaffRole,
      status: s.status as StaffStatus,
      teams: await this.store.teamsOf(this.ds.manager, s.id),
      kdfSalt: s.kdfSalt,
      boxPk: s.boxPk,
      signPk: s.signPk,
      protectedSecret: s.protectedSecret,
    };
  }

  async logout(staffId: string, sessionId: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      await this.sessions.revoke(m, sessionId, 'logout');
      await this.audit.append(m, {
        actorType: 'staff',
        actorId: staffId,
        action: AuditAction.LoggedOut,
        targetType: 'session',
        targetId: sessionId,
      });
    });
  }
}
