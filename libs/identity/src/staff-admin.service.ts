import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '@panah/audit';
import type { Staff } from '@panah/db';
import {
  AccountAction,
  AuditAction,
  type AuditDetailValue,
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

/** An audit entry of a change to one account (actor and target are the helper's). */
interface AccountAudit {
  readonly action: AuditAction;
  readonly details: Readonly<Record<string, AuditDetailValue>>;
}

type Actor = { id: string; role: StaffRole };

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
    const rows = await this.store.listStaff(this.ds.manager, status);
    const ids = rows.map((r) => r.id);
    const [memberships, pending] = await Promise.all([
      this.store.teamIdsByStaff(this.ds.manager, ids),
      this.store.pendingTeamIdsOf(this.ds.manager, ids),
    ]);
    return rows.map((r) => staffView(r, memberships.get(r.id) ?? [], pending.get(r.id) ?? []));
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
   * The one shape of every change to an account: in a transaction, lock the row (two admins
   * cannot race on one account), check the action is allowed for this actor and target
   * (decideAccountAction), make the change, append its audit entries in the same transaction.
   */
  private change<T>(
    actor: Actor,
    targetId: string,
    action: AccountAction,
    work: (
      m: EntityManager,
      target: Staff,
      next: StaffStatus,
    ) => Promise<{ readonly result: T; readonly audit: readonly AccountAudit[] }>,
  ): Promise<T> {
    return this.ds.transaction(async (m) => {
      const target = await this.store.lockById(m, targetId);
      if (!target) throw new DomainError(ErrorCode.NotFound, 'No such staff member');
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
      const { result, audit } = await work(m, target, decision.next);
      for (const entry of audit) {
        await this.audit.append(m, {
          actorType: 'staff',
          actorId: actor.id,
          action: entry.action,
          targetType: 'staff',
          targetId: target.id,
          details: entry.details,
        });
      }
      return result;
    });
  }

  /**
   * approve / reject / suspend / offboard. Suspending and offboarding revoke every session in the
   * same transaction (and the session resolver also checks the status), so the account is locked
   * out from the next request on. Offboarding also wipes the sign-in credentials, so the account
   * can never sign in again even if someone reversed its status.
   */
  changeStatus(actor: Actor, targetId: string, action: StatusAction): Promise<StaffView> {
    return this.change(actor, targetId, action, async (m, target, next) => {
      const now = new Date();
      const patch: Partial<Staff> = { status: next, statusChangedBy: actor.id, statusChangedAt: now };
      if (action === 'approve') Object.assign(patch, { approvedBy: actor.id, approvedAt: now });
      if (action === 'offboard') Object.assign(patch, { authKeyHash: null, totpSecret: null });
      await this.store.updateStaff(m, target.id, patch);
      let sessionsEnded = 0;
      if (action === 'suspend' || action === 'offboard')
        sessionsEnded = await this.sessions.revokeAllFor(m, target.id, action, now);
      if (action === 'offboard') await this.store.deleteRecoveryCodes(m, target.id);
      return {
        result: staffView({ ...target, ...patch } as Staff, await this.store.teamIdsOf(m, target.id)),
        audit: [{ action: ACTION_AUDIT[action], details: { from: target.status, to: next, sessionsEnded } }],
      };
    });
  }

  changeRole(actor: Actor, targetId: string, role: StaffRole): Promise<StaffView> {
    return this.change(actor, targetId, 'change_role', async (m, target) => {
      const changed = target.role !== role;
      if (changed) await this.store.updateStaff(m, target.id, { role });
      return {
        result: staffView({ ...target, role }, await this.store.teamIdsOf(m, target.id)),
        audit: changed
          ? [{ action: AuditAction.StaffRoleChanged, details: { from: target.role, to: role } }]
          : [],
      };
    });
  }

  /**
   * Sets the teams a person should be in. Joining a team grants its cases (hints included), so an
   * addition only becomes a request that a second admin approves (approveTeam), as vetting does;
   * a removal takes effect at once and ends every session of the person, so nothing they loaded
   * under the old membership stays usable. Teams not listed that were pending are withdrawn.
   */
  changeTeams(actor: Actor, targetId: string, teamIds: readonly string[]): Promise<StaffView> {
    return this.change(actor, targetId, 'change_teams', async (m, target) => {
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
      const audit = [
        ...requested.map((teamId) => ({ teamId, change: 'requested' })),
        ...removed.map((teamId) => ({ teamId, change: 'removed', sessionsEnded })),
      ].map((details) => ({ action: AuditAction.StaffTeamsChanged, details }));
      return { result: await this.viewOf(m, target), audit };
    });
  }

  /** A second admin (not the one who asked, not the person themselves) grants a pending membership. */
  approveTeam(actor: Actor, targetId: string, teamId: string): Promise<StaffView> {
    return this.change(actor, targetId, 'change_teams', async (m, target) => {
      const requestedBy = await this.takePendingRequest(m, target.id, teamId);
      if (requestedBy === actor.id) {
        throw new DomainError(
          ErrorCode.Forbidden,
          'The admin who asked for this membership cannot approve it; a different admin must',
          [],
          IdentityReason.SecondAdminRequired,
        );
      }
      await this.store.addTeam(m, target.id, teamId);
      return {
        result: await this.viewOf(m, target),
        audit: [{ action: AuditAction.StaffTeamsChanged, details: { teamId, change: 'added', requestedBy } }],
      };
    });
  }

  /**
   * Any admin turns down a pending membership (the one who asked included: refusing access needs
   * no second pair of eyes); the person never gains the team. Audited like every team change.
   */
  rejectTeam(actor: Actor, targetId: string, teamId: string): Promise<StaffView> {
    return this.change(actor, targetId, 'change_teams', async (m, target) => {
      const requestedBy = await this.takePendingRequest(m, target.id, teamId);
      return {
        result: await this.viewOf(m, target),
        audit: [
          { action: AuditAction.StaffTeamsChanged, details: { teamId, change: 'rejected', requestedBy } },
        ],
      };
    });
  }

  private async takePendingRequest(m: EntityManager, staffId: string, teamId: string): Promise<string> {
    const requestedBy = await this.store.takeTeamRequest(m, staffId, teamId);
    if (requestedBy === null)
      throw new DomainError(ErrorCode.NotFound, 'No pending membership of this team for this person');
    return requestedBy;
  }
}
