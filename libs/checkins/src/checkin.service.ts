import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import {
  applyCheckin,
  CaseReason,
  type CheckinPlanSpec,
  nextReminderAt,
  pausePlan,
  type PlanState,
  resumePlan,
  startPlan,
  validatePlanSpec,
} from '@panah/domain';
import { ReporterRepository } from '@panah/intake';
import { CheckinRepository } from './checkin.repository';
import { CheckinReason, idTaken, invalid, noPlan } from './errors';
import { PlanRecord, PlanRepository } from './plan.repository';
import { ReminderRepository } from './reminder.repository';
import { SafetyCaseService } from './safety-case.service';
import { SignalVerifier, type SignedSignalInput } from './signal-verifier.service';

export interface ReporterRef {
  readonly reporterId: string;
  readonly sessionId: string;
}

export interface PlanView extends CheckinPlanSpec {
  readonly id: string;
  readonly status: 'active' | 'paused' | 'overdue';
  readonly nextDeadline: string;
  readonly alertAt: string;
  readonly pausedUntil: string | null;
  readonly lastCheckinAt: string | null;
}

export interface CheckinView {
  readonly id: string;
  readonly checkedInAt: string;
  readonly nextDeadline: string | null;
}

/**
 * The reporter's side of check-ins: the plan, pausing it, and checking in. Under duress (a
 * session or signature from the duress code) nothing the coercer asks for disarms the switch:
 * plan changes are answered as if applied but not applied, and a check-in is recorded as a duress
 * signal that raises the case instead of moving the deadline. Responses have the same shape and
 * status either way, and never say whether an alert went out to a duress session.
 */
@Injectable()
export class CheckinService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PANAH_CONFIG) private readonly config: PanahConfig,
    private readonly plans: PlanRepository,
    private readonly verifier: SignalVerifier,
    private readonly safety: SafetyCaseService,
    private readonly reporters: ReporterRepository,
    private readonly checkins: CheckinRepository,
    private readonly reminderRows: ReminderRepository,
  ) {}

  async getPlan(who: ReporterRef): Promise<PlanView> {
    const plan = await this.plans.findByReporter(who.reporterId);
    if (!plan) throw noPlan();
    return view(plan, await this.isDuressSession(who.sessionId));
  }

  /** Creates or replaces the plan; a changed schedule or time zone takes effect from now. */
  async putPlan(who: ReporterRef, input: unknown): Promise<{ plan: PlanView; created: boolean }> {
    const spec = this.validate(input);
    const now = new Date();
    if (await this.isDuressSession(who.sessionId)) {
      const existing = await this.plans.findByReporter(who.reporterId);
      return {
        plan: view(
          withState(
            existing?.id ?? randomUUID(),
            who.reporterId,
            spec,
            startPlan(spec, now, existing?.state),
            now,
          ),
          true,
        ),
        created: !existing,
      };
    }
    return this.dataSource.transaction(async (manager) => {
      const existing = await this.plans.lockByReporter(manager, who.reporterId);
      if (!existing) {
        const plan = withState(randomUUID(), who.reporterId, spec, startPlan(spec, now), now);
        await this.plans.insert(manager, plan);
        return { plan: view(plan, false), created: true };
      }
      const plan = withState(existing.id, who.reporterId, spec, startPlan(spec, now, existing.state), now);
      await this.plans.save(manager, plan, existing);
      return { plan: view(plan, false), created: false };
    });
  }

  async pause(who: ReporterRef, untilInput: unknown): Promise<PlanView> {
    const until =
      typeof untilInput === 'string' && untilInput.length <= 40 ? new Date(untilInput) : new Date(NaN);
    if (Number.isNaN(until.getTime()))
      throw invalid(CheckinReason.BadPause, 'Invalid pause', [
        { path: 'until', message: 'must be an ISO-8601 time' },
      ]);
    return this.change(who, (plan, now) => {
      const decision = pausePlan(plan.spec, plan.state, now, until);
      if (!decision.ok) {
        const message =
          decision.reason === 'in_past'
            ? 'must be in the future'
            : `must be at most ${plan.spec.maxPauseSeconds} s from now (the plan's maximum pause)`;
        throw invalid(CheckinReason.BadPause, 'Invalid pause', [{ path: 'until', message }]);
      }
      return decision.state;
    });
  }

  async resume(who: ReporterRef): Promise<PlanView> {
    return this.change(who, (plan, now) => resumePlan(plan.spec, plan.state, now));
  }

  async deletePlan(who: ReporterRef): Promise<void> {
    if (await this.isDuressSession(who.sessionId)) {
      if (!(await this.plans.findByReporter(who.reporterId))) throw noPlan();
      return;
    }
    await this.dataSource.transaction(async (manager) => {
      const plan = await this.plans.lockByReporter(manager, who.reporterId);
      if (!plan) throw noPlan();
      await this.plans.delete(manager, plan.id);
    });
  }

  /**
   * A signed check-in, optionally with an encrypted `checkin` envelope. Idempotent on the
   * client-chosen id. Without a plan it is simply recorded (a reporter may check in any time).
   */
  async checkIn(
    who: ReporterRef,
    input: SignedSignalInput & { envelope?: unknown },
  ): Promise<{ checkin: CheckinView; created: boolean }> {
    const signal = await this.verifier.verify(who.reporterId, who.sessionId, 'checkin', input);
    const envelope =
      input.envelope === undefined || input.envelope === null
        ? null
        : await this.verifier.checkEnvelope(who.reporterId, signal.id, input.envelope);
    return this.dataSource.transaction(async (manager) => {
      const plan = await this.plans.lockByReporter(manager, who.reporterId);
      const previous = await this.existing(manager, signal.id, who.reporterId);
      if (previous)
        return {
          checkin: { ...previous, nextDeadline: plan ? plan.state.nextDeadline.toISOString() : null },
          created: false,
        };
      const now = new Date();
      if (signal.duress) {
        // Answer as an on-time check-in would, but leave the real deadline running.
        const shown = plan
          ? applyCheckin(plan.spec, { ...plan.state, missedAt: null }, now).state.nextDeadline
          : null;
        await this.checkins.insert(manager, {
          id: signal.id,
          reporterId: who.reporterId,
          at: now,
          deadline: plan?.state.nextDeadline ?? null,
          outcome: 'duress',
          envelope,
        });
        await this.safety.raise(manager, {
          reporterId: who.reporterId,
          reason: CaseReason.Duress,
          severity: 'critical',
          event: 'duress_checkin',
          at: now,
        });
        return {
          checkin: {
            id: signal.id,
            checkedInAt: now.toISOString(),
            nextDeadline: shown?.toISOString() ?? null,
          },
          created: true,
        };
      }
      if (!plan) {
        await this.checkins.insert(manager, {
          id: signal.id,
          reporterId: who.reporterId,
          at: now,
          deadline: null,
          outcome: 'recorded',
          envelope,
        });
        return {
          checkin: { id: signal.id, checkedInAt: now.toISOString(), nextDeadline: null },
          created: true,
        };
      }
      const { state, outcome } = applyCheckin(plan.spec, plan.state, now);
      await this.checkins.insert(manager, {
        id: signal.id,
        reporterId: who.reporterId,
        at: now,
        deadline: plan.state.nextDeadline,
        outcome,
        envelope,
      });
      if (outcome === 'after_alert')
        await this.safety.recordLateCheckin(manager, who.reporterId, signal.id, now);
      await this.plans.save(
        manager,
        { ...plan, state, nextReminderAt: nextReminderAt(plan.spec, state, now) },
        plan,
      );
      return {
        checkin: {
          id: signal.id,
          checkedInAt: now.toISOString(),
          nextDeadline: state.nextDeadline.toISOString(),
        },
        created: true,
      };
    });
  }

  /** Reminders in the reporter's inbox, newest first. */
  async reminders(
    who: ReporterRef,
    limit: number,
  ): Promise<{ items: { deadline: string; remindAt: string }[] }> {
    const rows = await this.reminderRows.listForReporter(this.dataSource.manager, who.reporterId, limit);
    return {
      items: rows.map((r) => ({ deadline: r.deadline.toISOString(), remindAt: r.remind_at.toISOString() })),
    };
  }

  private async change(
    who: ReporterRef,
    next: (plan: PlanRecord, now: Date) => PlanState,
  ): Promise<PlanView> {
    const now = new Date();
    if (await this.isDuressSession(who.sessionId)) {
      const plan = await this.plans.findByReporter(who.reporterId);
      if (!plan) throw noPlan();
      return view(withState(plan.id, plan.reporterId, plan.spec, next(plan, now), now), true);
    }
    return this.dataSource.transaction(async (manager) => {
      const plan = await this.plans.lockByReporter(manager, who.reporterId);
      if (!plan) throw noPlan();
      const updated = withState(plan.id, plan.reporterId, plan.spec, next(plan, now), now);
      await this.plans.save(manager, updated, plan);
      return view(updated, false);
    });
  }

  private validate(input: unknown): CheckinPlanSpec {
    const result = validatePlanSpec(input, {
      minIntervalSeconds: this.config.checkins.minIntervalSeconds,
      maxIntervalSeconds: 30 * 86_400,
      maxGraceSeconds: 86_400,
      maxPauseSeconds: this.config.checkins.maxPauseSeconds,
    });
    if (!result.ok) throw invalid(CheckinReason.BadPlan, 'Invalid check-in plan', result.problems);
    return result.spec;
  }

  private async isDuressSession(sessionId: string): Promise<boolean> {
    return (await this.reporters.session(this.dataSource.manager, sessionId))?.duress === true;
  }

  private async existing(
    manager: EntityManager,
    id: string,
    reporterId: string,
  ): Promise<Omit<CheckinView, 'nextDeadline'> | null> {
    const row = await this.checkins.find(manager, id);
    if (!row) return null;
    if (row.reporter_id !== reporterId) throw idTaken('id');
    return { id, checkedInAt: row.checked_in_at.toISOString() };
  }
}

function withState(
  id: string,
  reporterId: string,
  spec: CheckinPlanSpec,
  state: PlanState,
  now: Date,
): PlanRecord {
  return { id, reporterId, spec, state, nextReminderAt: nextReminderAt(spec, state, now) };
}

/** A duress session never sees `overdue`: that would tell the coercer an alert went out. */
function view(plan: PlanRecord, duress: boolean): PlanView {
  const s = plan.state;
  const paused = s.pausedUntil !== null && s.pausedUntil.getTime() > Date.now();
  return {
    id: plan.id,
    ...plan.spec,
    status: s.missedAt !== null && !duress ? 'overdue' : paused ? 'paused' : 'active',
    nextDeadline: s.nextDeadline.toISOString(),
    alertAt: s.alertAt.toISOString(),
    pausedUntil: s.pausedUntil?.toISOString() ?? null,
    lastCheckinAt: s.lastCheckinAt?.toISOString() ?? null,
  };
}
