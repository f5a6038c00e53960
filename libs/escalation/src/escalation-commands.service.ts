import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '@panah/audit';
import { CaseRepository } from '@panah/cases';
import { StaffTeamRepository } from '@panah/identity';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import {
  canSeeCase,
  decideRunCommand,
  DomainError,
  ErrorCode,
  EscalationReason,
  type RunCommand,
  type RunState,
  StaffRole,
} from '@panah/domain';
import { ACK_TOKEN_PATTERN, ackTokenDigest } from './ack-links';
import { scheduleWakeUp } from './escalation-engine.service';
import { NotificationRepository, type RunNotificationRow } from './notification.repository';
import { loadPolicyVersion } from './policy.repository';
import { type RunEventDetailRow, RunRepository, type RunRow } from './run.repository';

export interface Actor {
  readonly staffId: string;
  readonly role: StaffRole;
}

export interface RunView {
  readonly id: string;
  readonly caseId: string;
  readonly shortRef: string;
  readonly severity: string;
  readonly state: RunState;
  readonly policyId: string;
  readonly policyVersion: number;
  readonly step: number;
  readonly round: number;
  readonly nextStepAt: string | null;
  readonly overdue: boolean;
}

/** A run's whole history, as `GET /escalations/{id}/history` returns it. */
export interface RunHistory {
  readonly run: RunView;
  readonly events: RunEventDetailRow[];
  readonly notifications: RunNotificationRow[];
}

/**
 * What staff do to an escalation: acknowledge, snooze, resolve, and acknowledge through a
 * notification's link. Each locks the run, bumps its fencing token (so wake-ups scheduled before
 * are ignored), schedules the one wake-up the new state needs, and is audited, in one transaction.
 */
@Injectable()
export class EscalationCommands {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PANAH_CONFIG) private readonly config: PanahConfig,
    private readonly audit: AuditLog,
    private readonly cases: CaseRepository,
    private readonly staffTeams: StaffTeamRepository,
    private readonly runs: RunRepository,
    private readonly notifications: NotificationRepository,
  ) {}

  acknowledge(runId: string, actor: Actor): Promise<RunView> {
    return this.apply(runId, actor, { kind: 'acknowledge' });
  }

  resolve(runId: string, actor: Actor): Promise<RunView> {
    return this.apply(runId, actor, { kind: 'resolve' });
  }

  snooze(runId: string, actor: Actor, seconds: number): Promise<RunView> {
    return this.apply(runId, actor, { kind: 'snooze', seconds, maxSeconds: 0 });
  }

  /** The one-click link: only the person it was sent to, signed in, can use it. */
  async acknowledgeByLink(token: string, actor: Actor): Promise<RunView> {
    const link = await this.linkFor(token);
    if (link.recipient_id !== actor.staffId) {
      throw new DomainError(
        ErrorCode.Forbidden,
        'This link was sent to someone else',
        [],
        EscalationReason.LinkNotYours,
      );
    }
    return this.apply(link.run_id, actor, { kind: 'acknowledge' }, true);
  }

  /** What a link would acknowledge (for the console page, after sign-in). */
  async describeLink(token: string, actor: Actor): Promise<RunView> {
    const link = await this.linkFor(token);
    if (link.recipient_id !== actor.staffId) {
      throw new DomainError(
        ErrorCode.Forbidden,
        'This link was sent to someone else',
        [],
        EscalationReason.LinkNotYours,
      );
    }
    return this.dataSource.transaction(async (m) =>
      view(await this.lockRun(m, link.run_id, actor, false, false)),
    );
  }

  async get(runId: string, actor: Actor): Promise<RunView> {
    return this.dataSource.transaction(async (m) => view(await this.lockRun(m, runId, actor, false, false)));
  }

  async byCase(caseId: string, actor: Actor): Promise<RunView> {
    const runId = await this.runs.idForCase(this.dataSource.manager, caseId);
    if (runId === null) throw new DomainError(ErrorCode.NotFound, 'No escalation for this case');
    return this.get(runId, actor);
  }

  /**
   * The run, its events and its notifications with their attempts, for whoever may read the run
   * (as `get`). Audited like every read of a case (G6): the audit row is written in the reading
   * transaction, so a history is never read without one.
   */
  async history(runId: string, actor: Actor): Promise<RunHistory> {
    return this.dataSource.transaction(async (m) => {
      const run = await this.lockRun(m, runId, actor, false, false);
      await this.audit.append(m, {
        actorType: 'staff',
        actorId: actor.staffId,
        action: 'case.escalation_history_viewed',
        targetType: 'case',
        targetId: run.case_id,
        details: { runId: run.id },
      });
      return {
        run: view(run),
        events: await this.runs.eventsWithDetails(m, run.id),
        notifications: await this.notifications.forRunWithAttempts(m, run.id),
      };
    });
  }

  private async linkFor(token: string): Promise<{ run_id: string; recipient_id: string }> {
    const link = ACK_TOKEN_PATTERN.test(token)
      ? await this.runs.linkByDigest(this.dataSource.manager, ackTokenDigest(this.config.tokenKey, token))
      : null;
    if (!link)
      throw new DomainError(ErrorCode.NotFound, 'Unknown or expired link', [], EscalationReason.LinkInvalid);
    return link;
  }

  private async apply(runId: string, actor: Actor, command: RunCommand, viaLink = false): Promise<RunView> {
    return this.dataSource.transaction(async (m) => {
      const run = await this.lockRun(m, runId, actor, true, true);
      const policy = await loadPolicyVersion(
        m,
        { policyId: run.policy_id, version: run.policy_version },
        run.team_id,
      );
      const decision = decideRunCommand(
        run.state,
        command.kind === 'snooze' ? { ...command, maxSeconds: policy.maxSnoozeSeconds } : command,
      );
      if (!decision.ok) throw new DomainError(ErrorCode.Conflict, decision.message, [], decision.reason);
      if (!decision.changed) return view(run);
      const now = new Date();
      const fence = run.fence + 1;
      let nextStepAt: Date | null = null;
      switch (command.kind) {
        case 'acknowledge':
          // An ack timeout re-activates the run unless someone acknowledges again or resolves.
          nextStepAt = policy.ackTimeoutSeconds
            ? new Date(now.getTime() + policy.ackTimeoutSeconds * 1000)
            : null;
          await this.runs.setAcknowledged(m, run.id, now, actor.staffId);
          await this.cases.acknowledge(m, run.case_id);
          break;
        case 'snooze':
          nextStepAt = new Date(now.getTime() + command.seconds * 1000);
          break;
        case 'resolve':
          await this.runs.setResolvedAt(m, run.id, now);
          await this.cases.resolve(m, run.case_id, now);
          break;
      }
      await this.runs.setState(m, run.id, decision.next, fence, nextStepAt);
      if (nextStepAt)
        await scheduleWakeUp(m, { id: run.id, fence, step: run.step, round: run.round }, nextStepAt);
      const kind =
        command.kind === 'acknowledge' ? 'acknowledged' : command.kind === 'snooze' ? 'snoozed' : 'resolved';
      const details: Record<string, number> = command.kind === 'snooze' ? { seconds: command.seconds } : {};
      await this.runs.recordEvent(m, run.id, kind, {
        step: run.step,
        round: run.round,
        actorId: actor.staffId,
        details: { ...details, viaLink: viaLink ? 1 : 0 },
      });
      await this.audit.append(m, {
        actorType: 'staff',
        actorId: actor.staffId,
        action: `escalation.${kind}`,
        targetType: 'case',
        targetId: run.case_id,
        details: { runId: run.id, ...details },
      });
      return view({ ...run, state: decision.next, fence, next_step_at: nextStepAt });
    });
  }

  /**
   * Locks (or reads) the run after checking the actor may see its case (G6: routed cases only).
   * Reading a run (`act` false) is also allowed to someone alerted for it (a named target); acting
   * on it (acknowledge, snooze, resolve, by link or not) requires being allowed to read the case,
   * so nobody can silence another team's alert.
   */
  private async lockRun(
    m: EntityManager,
    runId: string,
    actor: Actor,
    act: boolean,
    lock: boolean,
  ): Promise<RunRow> {
    const run = await (lock ? this.runs.lockById(m, runId) : this.runs.byId(m, runId));
    // Not found and not allowed look the same, so run ids cannot be probed.
    if (!run) throw new DomainError(ErrorCode.NotFound, 'No such escalation');
    const teamIds = await this.staffTeams.teamIdsOf(m, actor.staffId);
    // The case's own routing (its team may have moved since the run started; an assignee sees it too).
    const access = await this.cases.access(m, run.case_id);
    const routing = access
      ? { teamId: access.team_id, assigneeIds: access.assignee_id ? [access.assignee_id] : [] }
      : { teamId: run.team_id, assigneeIds: [] };
    const visible = canSeeCase({ staffId: actor.staffId, role: actor.role, teamIds }, routing);
    if (visible) return run;
    const notified = actor.role !== StaffRole.Admin && (await this.runs.wasAlerted(m, run.id, actor.staffId));
    if (!notified) throw new DomainError(ErrorCode.NotFound, 'No such escalation');
    if (act)
      throw new DomainError(
        ErrorCode.Forbidden,
        'Acting on an escalation requires being allowed to read its case',
        [],
        EscalationReason.NotYourCase,
      );
    return run;
  }
}

function view(run: RunRow): RunView {
  return {
    id: run.id,
    caseId: run.case_id,
    shortRef: run.short_ref,
    severity: run.severity,
    state: run.state,
    policyId: run.policy_id,
    policyVersion: run.policy_version,
    step: run.step,
    round: run.round,
    nextStepAt: run.next_step_at ? new Date(run.next_step_at).toISOString() : null,
    overdue: run.overdue_at !== null,
  };
}
