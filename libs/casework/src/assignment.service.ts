import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditLog } from '@panah/audit';
import { CaseEventRepository, CaseGrantRepository, CaseNoteRepository, CaseRepository } from '@panah/cases';
import { fromB64u, kid, SignatureError, validateGrant, verifyGrant, type Grant } from '@panah/crypto';
import { DomainError, ErrorCode, StaffRole } from '@panah/domain';
import { CaseUpdateNotifier, EscalationHistory } from '@panah/escalation';
import { type StaffKeyRow, StaffKeysRepository } from '@panah/identity';
import { CaseMaterialRepository, ConversationRepository } from '@panah/intake';
import { type CaseAccess, CaseReaders, type CaseViewer } from './case-readers';
import { type CaseSummary } from './case-timeline.service';
import { badRequest, CaseworkReason } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const MAX_GRANTS_PER_REQUEST = 256;

/**
 * Assignment, hand-over and grants (issue 15 point 5, crypto-v1 §10). A supervisor of the case's
 * team assigns it to an active supervisor or caseworker of that team; the caseworker who
 * acknowledged its escalation may assign it to themselves. A supervisor hands a case to another
 * team. Grants travel with either (or alone): each must be signed by the caller's own staff key,
 * name an envelope of this case and a box key of someone who can read the case afterwards.
 * Everything is audited, written to the case's timeline and tells the new assignee.
 */
@Injectable()
export class AssignmentService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly readers: CaseReaders,
    private readonly cases: CaseRepository,
    private readonly staffKeys: StaffKeysRepository,
    private readonly grantsRepo: CaseGrantRepository,
    private readonly events: CaseEventRepository,
    private readonly material: CaseMaterialRepository,
    private readonly conversation: ConversationRepository,
    private readonly notes: CaseNoteRepository,
    private readonly escalation: EscalationHistory,
    private readonly notifier: CaseUpdateNotifier,
    private readonly audit: AuditLog,
  ) {}

  async assign(
    caseId: string,
    viewer: CaseViewer,
    body: { assigneeId: string; grants?: unknown[] },
  ): Promise<CaseSummary> {
    return this.dataSource.transaction(async (m) => {
      const { access, me } = await this.readers.requireReadable(m, caseId, viewer);
      await this.cases.lockById(m, access.id);
      const assignee = await this.eligible(m, body.assigneeId, access.teamId, 'assigneeId');
      if (me.role !== StaffRole.Supervisor) {
        const esc = await this.escalation.forCase(m, access.id);
        if (assignee.staffId !== me.staffId || esc.run?.acknowledgedBy !== me.staffId) {
          throw new DomainError(
            ErrorCode.Forbidden,
            'Only a supervisor of the team, or the caseworker who acknowledged the case (for themselves), assigns it',
            [],
            CaseworkReason.AssignForbidden,
          );
        }
      }
      const after: CaseAccess = { ...access, assigneeId: assignee.staffId };
      await this.storeGrants(m, after, me, body.grants ?? []);
      const changed = await this.cases.assign(m, access.id, assignee.staffId);
      if (changed) {
        await this.events.append(m, access.id, 'assigned', me.staffId, { assigneeId: assignee.staffId });
        await this.audit.append(m, {
          actorType: 'staff',
          actorId: me.staffId,
          action: 'case.assigned',
          targetType: 'case',
          targetId: access.id,
          details: { assigneeId: assignee.staffId },
        });
        await this.notifier.notifyAssignee(
          m,
          { caseId: access.id, event: 'assigned', eventId: randomUUID() },
          assignee.staffId,
        );
      }
      return this.summary(m, access.id);
    });
  }

  async handOver(
    caseId: string,
    viewer: CaseViewer,
    body: { teamId: string; assigneeId?: string; grants?: unknown[] },
  ): Promise<CaseSummary> {
    return this.dataSource.transaction(async (m) => {
      const { access, me } = await this.readers.requireReadable(m, caseId, viewer);
      if (me.role !== StaffRole.Supervisor)
        throw new DomainError(
          ErrorCode.Forbidden,
          'Only a supervisor of the case’s team hands it over',
          [],
          CaseworkReason.AssignForbidden,
        );
      await this.cases.lockById(m, access.id);
      if (!UUID.test(body.teamId) || (await this.staffKeys.activeMembersOf(m, body.teamId)).length === 0) {
        throw badRequest(CaseworkReason.BadTeam, 'The team must exist and have active members', [
          { path: 'teamId', message: 'is not a team with active members' },
        ]);
      }
      const assignee =
        body.assigneeId === undefined
          ? null
          : await this.eligible(m, body.assigneeId, body.teamId, 'assigneeId');
      const after: CaseAccess = { ...access, teamId: body.teamId, assigneeId: assignee?.staffId ?? null };
      await this.storeGrants(m, after, me, body.grants ?? []);
      const changed = await this.cases.handOver(m, access.id, body.teamId, assignee?.staffId ?? null);
      if (changed) {
        const details = {
          fromTeamId: access.teamId,
          teamId: body.teamId,
          assigneeId: assignee?.staffId ?? null,
        };
        await this.events.append(m, access.id, 'handed_over', me.staffId, details);
        await this.audit.append(m, {
          actorType: 'staff',
          actorId: me.staffId,
          action: 'case.handed_over',
          targetType: 'case',
          targetId: access.id,
          details,
        });
        await this.notifier.notifyAssignee(
          m,
          { caseId: access.id, event: 'assigned', eventId: randomUUID() },
          assignee?.staffId ?? null,
        );
      }
      return this.summary(m, access.id);
    });
  }

  /** Grants alone (e.g. for a colleague who joined the team). Returns how many were new. */
  async addGrants(caseId: string, viewer: CaseViewer, grants: unknown[]): Promise<{ stored: number }> {
    return this.dataSource.transaction(async (m) => {
      const { access, me } = await this.readers.requireReadable(m, caseId, viewer);
      return { stored: await this.storeGrants(m, access, me, grants) };
    });
  }

  private async eligible(
    m: EntityManager,
    staffId: string,
    teamId: string | null,
    path: string,
  ): Promise<StaffKeyRow> {
    const [s] = UUID.test(staffId) ? await this.staffKeys.byIds(m, [staffId]) : [];
    if (
      !s ||
      s.status !== 'active' ||
      s.role === StaffRole.Admin ||
      teamId === null ||
      !s.teamIds.includes(teamId)
    ) {
      throw badRequest(
        CaseworkReason.BadAssignee,
        'The assignee must be an active supervisor or caseworker of the case’s team',
        [{ path, message: 'cannot work this case' }],
      );
    }
    return s;
  }

  private async storeGrants(
    m: EntityManager,
    after: CaseAccess,
    me: StaffKeyRow,
    input: unknown[],
  ): Promise<number> {
    if (!Array.isArray(input) || input.length > MAX_GRANTS_PER_REQUEST) {
      throw badRequest(
        CaseworkReason.BadGrant,
        `grants must be an array of at most ${MAX_GRANTS_PER_REQUEST}`,
        [{ path: 'grants', message: 'too many or not an array' }],
      );
    }
    if (input.length === 0) return 0;
    const mySignPk = fromB64u(me.signPk, 'signPk');
    const envelopes = new Set([
      ...(await this.material.reportsOfCase(m, after.id)).map((r) => r.id),
      ...(await this.conversation.forCase(m, after.id)).map((c) => c.id),
      ...(await this.notes.forCase(m, after.id)).map((n) => n.id),
    ]);
    const allowedKids = new Set(
      (await this.readers.readersOf(m, after)).map((r) => kid(fromB64u(r.boxPk, 'boxPk'))),
    );
    const grants: Grant[] = input.map((raw, i) => {
      const result = validateGrant(raw);
      if (!result.ok)
        throw badRequest(
          CaseworkReason.BadGrant,
          'Malformed grant',
          result.errors.map((e) => ({
            path: `grants[${i}]${e.field === '$' ? '' : `.${e.field}`}`,
            message: e.problem,
          })),
        );
      try {
        verifyGrant(result.grant, mySignPk);
      } catch (error) {
        if (!(error instanceof SignatureError)) throw error;
        throw badRequest(CaseworkReason.GrantBadSignature, 'A grant must be signed with your own staff key', [
          { path: `grants[${i}].sig`, message: 'does not verify against your sign key' },
        ]);
      }
      if (!envelopes.has(result.grant.envelopeId)) {
        throw badRequest(CaseworkReason.GrantUnknownEnvelope, 'A grant must name an envelope of this case', [
          { path: `grants[${i}].envelopeId`, message: 'is not an envelope of this case' },
        ]);
      }
      if (!allowedKids.has(result.grant.kid)) {
        throw badRequest(
          CaseworkReason.GrantNotAllowed,
          'A grant must be for someone who can read the case',
          [{ path: `grants[${i}].kid`, message: 'is not a box key of staff who can read this case' }],
        );
      }
      return result.grant;
    });
    return this.grantsRepo.insertMany(m, after.id, me.staffId, grants);
  }

  private async summary(m: EntityManager, caseId: string): Promise<CaseSummary> {
    const c = await this.cases.detail(m, caseId);
    if (!c) throw new Error('case vanished inside its transaction');
    return {
      id: c.id,
      state: c.state,
      severity: c.severity,
      reasons: c.reasons,
      teamId: c.team_id,
      assigneeId: c.assignee_id,
      deadlineAt: c.deadline_at.toISOString(),
      openedAt: c.opened_at.toISOString(),
    };
  }
}
