import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { CaseReason, decideAlert, nextReminderAt } from '@panah/domain';
import { PlanRecord, PlanRepository } from './plan.repository';
import { ReminderRepository } from './reminder.repository';
import { SafetyCaseService } from './safety-case.service';

export type AlertResult =
  | { readonly kind: 'gone' | 'busy' }
  | { readonly kind: 'not_due'; readonly alertAt: Date }
  | { readonly kind: 'missed'; readonly caseId: string; readonly deadline: Date };

const SWEEP_BATCH = 500;
/** A plan that cannot be evaluated alerts, and alerts again this often until someone fixes it. */
const FAIL_SAFE_REPEAT_MS = 3_600_000;

/**
 * The deadline engine's worker side. Whoever fires (the plan's delayed job or the sweeper) locks
 * the plan row and asks the pure state machine whether the alert is due; PostgreSQL decides, so
 * a stale job, a duplicate job and a sweep racing a job all end in exactly one alert.
 */
@Injectable()
export class DeadlineService {
  private readonly logger = new Logger(DeadlineService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PANAH_CONFIG) private readonly config: PanahConfig,
    private readonly plans: PlanRepository,
    private readonly safety: SafetyCaseService,
    private readonly reminders: ReminderRepository,
  ) {}

  async fireAlert(planId: string, options: { skipLocked?: boolean } = {}): Promise<AlertResult> {
    return this.dataSource.transaction(async (manager) => {
      const plan = await this.plans.lockById(manager, planId, options.skipLocked);
      if (!plan) return { kind: options.skipLocked ? 'busy' : 'gone' };
      // Read the clock after the lock: a check-in that committed while we waited has moved the deadline.
      const now = new Date();
      const decision = decideAlert(plan.spec, plan.state, now);
      if (decision.kind === 'not_due') return { kind: 'not_due', alertAt: plan.state.alertAt };
      const outcome = await this.safety.raise(manager, {
        reporterId: plan.reporterId,
        reason: CaseReason.MissedCheckin,
        severity: plan.spec.missSeverity,
        event: 'missed_checkin',
        at: now,
      });
      const next = {
        ...plan,
        state: decision.state,
        nextReminderAt: nextReminderAt(plan.spec, decision.state, now),
      };
      await this.plans.save(manager, next, plan);
      return { kind: 'missed', caseId: outcome.caseId, deadline: decision.deadline };
    });
  }

  /**
   * The same decision for a batch of plans in one transaction (the deadline processor batches
   * jobs that fire together): one lock statement, one routing read, one plan update. If the
   * batch fails, each plan is retried on its own, so one bad plan never delays the others.
   */
  async fireAlerts(planIds: readonly string[]): Promise<Map<string, AlertResult | Error>> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const results = new Map<string, AlertResult | Error>(planIds.map((id) => [id, { kind: 'gone' }]));
        const plans = await this.plans.lockMany(manager, planIds);
        const now = new Date();
        const missed: PlanRecord[] = [];
        const due = plans.flatMap((plan) => {
          const decision = decideAlert(plan.spec, plan.state, now);
          if (decision.kind !== 'not_due') return [{ plan, decision }];
          results.set(plan.id, { kind: 'not_due', alertAt: plan.state.alertAt });
          return [];
        });
        if (due.length === 0) return results;
        const routing = await this.safety.routing(manager);
        // All their reporters and cases locked at once, in the order every batch uses (no deadlocks).
        await this.safety.lockReporters(
          manager,
          due.map((d) => d.plan.reporterId),
        );
        for (const { plan, decision } of due) {
          const outcome = await this.safety.raise(
            manager,
            {
              reporterId: plan.reporterId,
              reason: CaseReason.MissedCheckin,
              severity: plan.spec.missSeverity,
              event: 'missed_checkin',
              at: now,
            },
            routing,
          );
          missed.push({
            ...plan,
            state: decision.state,
            nextReminderAt: nextReminderAt(plan.spec, decision.state, now),
          });
          results.set(plan.id, { kind: 'missed', caseId: outcome.caseId, deadline: decision.deadline });
        }
        await this.plans.saveMissed(manager, missed);
        return results;
      });
    } catch {
      const results = new Map<string, AlertResult | Error>();
      for (const id of planIds) {
        results.set(
          id,
          await this.fireAlert(id).catch((error: unknown) =>
            error instanceof Error ? error : new Error('alert failed'),
          ),
        );
      }
      return results;
    }
  }

  /** Puts a due reminder in the reporter's inbox (once per plan and moment) and arms the next. */
  async deliverReminder(
    planId: string,
    options: { skipLocked?: boolean } = {},
  ): Promise<'delivered' | 'not_due' | 'gone'> {
    return this.dataSource.transaction(async (manager) => {
      const plan = await this.plans.lockById(manager, planId, options.skipLocked);
      if (!plan) return 'gone';
      const now = new Date();
      const due = plan.nextReminderAt;
      if (!due || due.getTime() > now.getTime()) return 'not_due';
      await this.reminders.insert(manager, {
        reporterId: plan.reporterId,
        planId: plan.id,
        deadline: plan.state.nextDeadline,
        remindAt: due,
      });
      await this.plans.save(
        manager,
        { ...plan, nextReminderAt: nextReminderAt(plan.spec, plan.state, now) },
        plan,
      );
      return 'delivered';
    });
  }

  /**
   * Everything whose timer should already have fired: Redis lost the job (flushed, failed over),
   * the worker was down, or the job failed. Skips plans a job is handling at this moment.
   */
  async sweep(): Promise<{ alerts: number; reminders: number }> {
    const before = new Date(Date.now() - this.config.checkins.sweepGraceMs);
    let alerts = 0;
    for (const id of await this.plans.overdueAlerts(before, SWEEP_BATCH)) {
      // One plan that cannot be evaluated must not hold up the alerts queued behind it.
      try {
        if ((await this.fireAlert(id, { skipLocked: true })).kind === 'missed') alerts += 1;
      } catch (error) {
        this.logger.error(
          { planId: id, err: error instanceof Error ? error.name : 'unknown' },
          'deadline could not be evaluated; alerting anyway',
        );
        await this.failSafeAlert(id).catch(() => undefined); // next sweep tries again
      }
    }
    let reminders = 0;
    for (const id of await this.plans.overdueReminders(before, SWEEP_BATCH)) {
      try {
        if ((await this.deliverReminder(id, { skipLocked: true })) === 'delivered') reminders += 1;
      } catch (error) {
        this.logger.error(
          { planId: id, err: error instanceof Error ? error.name : 'unknown' },
          'reminder failed; retried next sweep',
        );
      }
    }
    return { alerts, reminders };
  }

  /**
   * Silence we cannot evaluate is treated as silence: a plan whose deadline job failed for good,
   * or that the state machine cannot read, raises the missed check-in case, then waits an hour
   * before doing so again (instead of raising on every sweep). Never a silent drop.
   */
  async failSafeAlert(planId: string): Promise<'raised' | 'gone' | 'not_due'> {
    return this.dataSource.transaction(async (manager) => {
      const plan = await this.plans.lockForFailSafe(manager, planId);
      if (!plan) return 'gone';
      const now = new Date();
      if (plan.alert_at.getTime() > now.getTime()) return 'not_due';
      const severity =
        plan.severity === 'low' || plan.severity === 'medium' || plan.severity === 'high'
          ? plan.severity
          : 'critical';
      await this.safety.raise(manager, {
        reporterId: plan.reporter_id,
        reason: CaseReason.MissedCheckin,
        severity,
        event: 'missed_checkin',
        at: now,
      });
      await this.plans.postponeAlert(manager, planId, new Date(now.getTime() + FAIL_SAFE_REPEAT_MS), now);
      return 'raised';
    });
  }
}
