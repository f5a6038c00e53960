import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '@panah/audit';
import { Staff } from '@panah/db';
import {
  AccountAction,
  AuditAction,
  decideAccountAction,
  DomainError,
  ErrorCode,
  IdentityReason,
  StaffRole,
  StaffStatus,
  validationError,
} from '@panah/domain';
import { StaffSessions } from './staff-sessions.service';
import { StaffStore, StaffView, staffView } from './staff-store.repository';

export type StatusAction = Extract<AccountAction, 'approve' | 'reject' | 'suspend' | 'offboard'>;

const ACTION_AUDIT: Record<StatusAction, AuditAction> = {
  approve: AuditAction.StaffApproved,
  reject: AuditAction.StaffRejected,
  suspend: AuditAction.StaffSuspended,
  offboard: AuditAction.StaffOffboarded,
};

/** Admin management of staff accounts: vetting, suspension, offboarding, roles, teams. */
@Injectable()
export class StaffAdmin {
  constructor(
    private readonly ds: DataSource,
    private readonly store: StaffStore,
    private readonly sessions: StaffSessions,
    private readonly audit: AuditLog,
  ) {}

  async list(status?: StaffStatus): Promise<StaffView[]> {
    const rows = await this.ds
      .getRepository(Staff)
      .find({ where: status ? { status } : {}, order: { createdAt: 'ASC' }, take: 1000 });
    const memberships = (await this.ds.query(
      `SELECT staff_id, team_id FROM staff_teams WHERE staff_id = ANY($1::uuid[]) ORDER BY team_id`,
      [rows.map((r) => r.id)],
    )) as { staff_id: string; team_id: string }[];
    const pending = await this.store.pendingTeamIdsOf(
      this.ds.manager,
      rows.map((r) => r.id),
    );
    return rows.map((r) =>
      staffView(
        r,
        memberships.filter((x) => x.staff_id === r.id).map((x) => x.team_id),
        pending.get(r.id) ?? [],
      ),
    );
  }

  async get(id: string): Promise<StaffView> {
    const staff = await this.store.findById(this.ds.manager, id);
    if (!staff) throw new DomainError(ErrorCode.NotFound, 'No such staff member');
    return this.viewOf(this.ds.manager, staff);
  }

  private async viewOf(m: EntityManager, staff: Staff): Promise<StaffView> {
    return staffView(
      staff,
      await this.store.teamIdsOf(m, staff.id),
      (await this.store.pendingTeamIdsOf(m, [staff.id])).get(staff.id) ?? [],
    );
  }

  /**
   * approve / reject / suspend / offboard under a row lock. Suspending and offboarding revoke
   * every session in the same transaction (and the session resolver also checks the status), so
   * the account is locked out from the next request on. Offboarding also wipes the sign-in
   * credentials, so the account can never sign in again even if someone reversed its status.
   */
  async changeStatus(
    actor: { id: string; role: StaffRole },
    targetId: string,
    action: StatusAction,
  ): Promise<StaffView> {
    return this.ds.transaction(async (m) => {
      const target = await this.lockOr404(m, targetId);
      const decision = decideAccountAction(action, actor, {
        id: target.id,
        status: target.status as StaffStatus,
        invitedBy: target.invitedBy,
      });
      if (!decision.ok) {
        throw new DomainError(
          decision.kind === 'forbidden' ? ErrorCode.Forbidden : ErrorCode.Conflict,
          decision.message,
          [],
          decision.reason,
        );
      }
      const now = new Date();
      const patch: Partial<Staff> = {
        status: decision.next,
        statusChangedBy: actor.id,
        statusChangedAt: now,
      };
      if (action === 'approve') Object.assign(patch, { approvedBy: actor.id, approvedAt: now });
      if (action === 'offboard') Object.assign(patch, { authKeyHash: null, totpSecret: null });
      await m.getRepository(Staff).update({ id: target.id }, patch);
      let sessionsEnded = 0;
      if (action === 'suspend' || action === 'offboard')
        sessionsEnded = await this.sessions.revokeAllFor(m, target.id, action, now);
      if (action === 'offboard')
        await m.query(`DELETE FROM staff_recovery_codes WHERE staff_id = $1`, [target.id]);
      await this.audit.append(m, {
        actorType: 'staff',
        actorId: actor.id,
        action: ACTION_AUDIT[action],
        targetType: 'staff',
        targetId: target.id,
        details: { from: target.status, to: decision.next, sessionsEnded },
      });
      return staffView({ ...target, ...patch } as Staff, await this.store.teamIdsOf(m, target.id));
    });
  }

  async changeRole(
    actor: { id: string; role: StaffRole },
    targetId: string,
    role: StaffRole,
  ): Promise<StaffView> {
    return this.ds.transaction(async (m) => {
      const target = await this.lockOr404(m, targetId);
      const decision = decideAccountAction('change_role', actor, {
        id: target.id,
        status: target.status as StaffStatus,
        invitedBy: target.invitedBy,
      });
      if (!decision.ok) {
        throw new DomainError(
          decision.kind === 'forbidden' ? ErrorCode.Forbidden : ErrorCode.Conflict,
          decision.message,
          [],
          decision.reason,
        );
      }
      if (target.role !== role) {
        await m.getRepository(Staff).update({ id: target.id }, { role });
        await this.audit.append(m, {
          actorType: 'staff',
          actorId: actor.id,
          action: AuditAction.StaffRoleChanged,
          targetType: 'staff',
          targetId: target.id,
          details: { from: target.role, to: role },
        });
      }
      return staffView({ ...target, role }, await this.store.teamIdsOf(m, target.id));
    });
  }

  /**
   * Sets the teams a person should be in. Joining a team grants its cases (hints included), so an
   * addition only becomes a request that a second admin approves (approveTeam), as vetting does;
   * a removal takes effect at once and ends every session of the person, so nothing they loaded
   * under the old membership stays usable. Teams not listed that were pending are withdrawn.
   */
  async changeTeams(
    actor: { id: string; role: StaffRole },
    targetId: string,
    teamIds: readonly string[],
  ): Promise<StaffView> {
    return this.ds.transaction(async (m) => {
      const target = await this.lockOr404(m, targetId);
      this.allowed('change_teams', actor, target);
      const unique = [...new Set(teamIds)];
      const missing = await this.store.missingTeams(m, unique);
      if (missing.length > 0)
        throw validationError(
          missing.map((id) => ({ path: `teamIds[${teamIds.indexOf(id)}]`, message: 'no such team' })),
        );
      const before = await this.store.teamIdsOf(m, target.id);
      const removed = await this.store.removeTeams(
        m,
        target.id,
        before.filter((t) => !unique.includes(t)),
      );
      const requested = await this.store.requestTeams(
        m,
        target.id,
        unique.filter((t) => !before.includes(t)),
        actor.id,
      );
      const sessionsEnded =
        removed.length > 0 ? await this.sessions.revokeAllFor(m, target.id, 'team_removed') : 0;
      // One entry per membership change: each names its team, however many change at once.
      const changes = [
        ...requested.map((teamId) => ({ teamId, change: 'requested' })),
        ...removed.map((teamId) => ({ teamId, change: 'removed', sessionsEnded })),
      ];
      for (const details of changes) {
        await this.audit.append(m, {
          actorType: 'staff',
          actorId: actor.id,
          action: AuditAction.StaffTeamsChanged,
          targetType: 'staff',
          targetId: target.id,
          details,
        });
      }
      return this.viewOf(m, target);
    });
  }

  /** A second admin (not the one who asked, not the person themselves) grants a pending membership. */
  async approveTeam(
    actor: { id: string; role: StaffRole },
    targetId: string,
    teamId: string,
  ): Promise<StaffView> {
    return this.ds.transaction(async (m) => {
      const target = await this.lockOr404(m, targetId);
      this.allowed('change_teams', actor, target);
      const requestedBy = await this.store.takeTeamRequest(m, target.id, teamId);
      if (requestedBy === null)
        throw new DomainError(ErrorCode.NotFound, 'No pending membership of this team for this person');
      if (requestedBy === actor.id) {
        throw new DomainError(
          ErrorCode.Forbidden,
          'The admin who asked for this membership cannot approve it; a different admin must',
          [],
          IdentityReason.SecondAdminRequired,
        );
      }
      await this.store.addTeam(m, target.id, teamId);
      await this.audit.append(m, {
        actorType: 'staff',
        actorId: actor.id,
        action: AuditAction.StaffTeamsChanged,
        targetType: 'staff',
        targetId: target.id,
        details: { teamId, change: 'added', requestedBy },
      });
      return this.viewOf(m, target);
    });
  }

  /**
   * Any admin turns down a pending membership (the one who asked included: refusing access needs
   * no second pair of eyes); the person never gains the team. Audited like every team change.
   */
  async rejectTeam(
    actor: { id: string; role: StaffRole },
    targetId: string,
    teamId: string,
  ): Promise<StaffView> {
    return this.ds.transaction(async (m) => {
      const target = await this.lockOr404(m, targetId);
      this.allowed('change_teams', actor, target);
      const requestedBy = await this.store.takeTeamRequest(m, target.id, teamId);
      if (requestedBy === null)
        throw new DomainError(ErrorCode.NotFound, 'No pending membership of this team for this person');
      await this.audit.append(m, {
        actorType: 'staff',
        actorId: actor.id,
        action: AuditAction.StaffTeamsChanged,
        targetType: 'staff',
        targetId: target.id,
        details: { teamId, change: 'rejected', requestedBy },
      });
      return this.viewOf(m, target);
    });
  }

  private allowed(action: AccountAction, actor: { id: string; role: StaffRole }, target: Staff): void {
    const decision = decideAccountAction(action, actor, {
      id: target.id,
      status: target.status as StaffStatus,
      invitedBy: target.invitedBy,
    });
    if (!decision.ok)
      throw new DomainError(
        decision.kind === 'forbidden' ? ErrorCode.Forbidden : ErrorCode.Conflict,
        decision.message,
        [],
        decision.reason,
      );
  }

  private async lockOr404(m: EntityManager, id: string): Promise<Staff> {
    const staff = await this.store.lockById(m, id);
    if (!staff) throw new DomainError(ErrorCode.NotFound, 'No such staff member');
    return staff;
  }
}
