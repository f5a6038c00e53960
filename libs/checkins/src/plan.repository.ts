import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { CheckinPlanSpec, PlanState } from '@panah/domain';
import { checkinDeadlineJobId, checkinReminderJobId, enqueueInTransaction, JobName } from '@panah/queue';
import { prepared } from '@panah/db';

export interface PlanRecord {
  readonly id: string;
  readonly reporterId: string;
  readonly spec: CheckinPlanSpec;
  readonly state: PlanState;
  readonly nextReminderAt: Date | null;
}

interface PlanRow {
  id: string;
  reporter_id: string;
  spec: CheckinPlanSpec;
  next_deadline: Date;
  alert_at: Date;
  next_reminder_at: Date | null;
  paused_until: Date | null;
  missed_at: Date | null;
  last_checkin_at: Date | null;
}

/**
 * What the fail-safe reads of a plan it cannot evaluate: only columns that need no parsing
 * (the spec's severity as text, whatever else of the spec is broken).
 */
export interface RawPlanRow {
  reporter_id: string;
  alert_at: Date;
  severity: string | null;
}

const COLUMNS =
  'id, reporter_id, spec, next_deadline, alert_at, next_reminder_at, paused_until, missed_at, last_checkin_at';

function toRecord(r: PlanRow): PlanRecord {
  return {
    id: r.id,
    reporterId: r.reporter_id,
    spec: r.spec,
    nextReminderAt: r.next_reminder_at,
    state: {
      nextDeadline: r.next_deadline,
      alertAt: r.alert_at,
      pausedUntil: r.paused_until,
      missedAt: r.missed_at,
      lastCheckinAt: r.last_checkin_at,
    },
  };
}

/**
 * Check-in plans in PostgreSQL, the source of truth for every deadline. Every state change is
 * written together with the outbox rows that arm its timers, so a committed deadline always has
 * a delayed job on its way to Redis (and the sweeper for when Redis loses it).
 */
@Injectable()
export class PlanRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findByReporter(reporterId: string): Promise<PlanRecord | null> {
    const rows = await this.dataSource.query<PlanRow[]>(
      prepared(`SELECT ${COLUMNS} FROM checkin_plans WHERE reporter_id = $1`),
      [reporterId],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /**
   * A reporter's plan, locked for the transaction. A plan that does not exist yet has no row to
   * lock, so two first-time PUTs would both insert (a unique violation, answered 500): the
   * reporter's advisory lock serialises them, and the second then sees the first's plan.
   */
  async lockByReporter(manager: EntityManager, reporterId: string): Promise<PlanRecord | null> {
    await manager.query(
      prepared(`SELECT pg_advisory_xact_lock(hashtext('panah.checkin_plans'), hashtext($1))`),
      [reporterId],
    );
    const rows = await manager.query<PlanRow[]>(
      prepared(`SELECT ${COLUMNS} FROM checkin_plans WHERE reporter_id = $1 FOR UPDATE`),
      [reporterId],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** With `skipLocked`, a plan another worker is handling right now is left to it (the sweeper). */
  async lockById(manager: EntityManager, id: string, skipLocked = false): Promise<PlanRecord | null> {
    const rows = await manager.query<PlanRow[]>(
      `SELECT ${COLUMNS} FROM checkin_plans WHERE id = $1 FOR UPDATE${skipLocked ? ' SKIP LOCKED' : ''}`,
      [id],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Locks several plans in id order (so concurrent batches cannot deadlock on each other). */
  async lockMany(manager: EntityManager, ids: readonly string[]): Promise<PlanRecord[]> {
    const rows = await manager.query<PlanRow[]>(
      prepared(`SELECT ${COLUMNS} FROM checkin_plans WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`),
      [ids],
    );
    return rows.map(toRecord);
  }

  /** After missed deadlines: the new states in one statement, and each new deadline armed. */
  async saveMissed(manager: EntityManager, plans: readonly PlanRecord[]): Promise<void> {
    if (plans.length === 0) return;
    await manager.query(
      prepared(`UPDATE checkin_plans p SET next_deadline = v.next_deadline, alert_at = v.alert_at, next_reminder_at = v.next_reminder_at,
              missed_at = v.missed_at, updated_at = now()
         FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[])
              AS v(id, next_deadline, alert_at, next_reminder_at, missed_at)
        WHERE p.id = v.id`),
      [
        plans.map((p) => p.id),
        plans.map((p) => p.state.nextDeadline),
        plans.map((p) => p.state.alertAt),
        plans.map((p) => p.nextReminderAt),
        plans.map((p) => p.state.missedAt),
      ],
    );
    for (const plan of plans) await this.armTimers(manager, plan);
  }

  async insert(manager: EntityManager, plan: PlanRecord): Promise<void> {
    const s = plan.state;
    await manager.query(
      prepared(`INSERT INTO checkin_plans (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`),
      [
        plan.id,
        plan.reporterId,
        JSON.stringify(plan.spec),
        s.nextDeadline,
        s.alertAt,
        plan.nextReminderAt,
        s.pausedUntil,
        s.missedAt,
        s.lastCheckinAt,
      ],
    );
    await this.armTimers(manager, plan);
  }

  /** Saves a new state (and spec) and arms the timers of the new deadline. */
  async save(manager: EntityManager, plan: PlanRecord, previous: PlanRecord): Promise<void> {
    const s = plan.state;
    await manager.query(
      prepared(`UPDATE checkin_plans SET spec = $2, next_deadline = $3, alert_at = $4, next_reminder_at = $5, paused_until = $6, missed_at = $7,
              last_checkin_at = $8, updated_at = now() WHERE id = $1`),
      [
        plan.id,
        JSON.stringify(plan.spec),
        s.nextDeadline,
        s.alertAt,
        plan.nextReminderAt,
        s.pausedUntil,
        s.missedAt,
        s.lastCheckinAt,
      ],
    );
    // Unchanged timers need no new job (the old one, with the same id, is still on its way).
    const alertMoved = s.alertAt.getTime() !== previous.state.alertAt.getTime();
    const reminderMoved = plan.nextReminderAt?.getTime() !== previous.nextReminderAt?.getTime();
    await this.armTimers(manager, plan, { alert: alertMoved, reminder: reminderMoved });
  }

  async delete(manager: EntityManager, id: string): Promise<void> {
    await manager.query(prepared(`DELETE FROM checkin_plans WHERE id = $1`), [id]);
  }

  /** Locks a plan for the fail-safe alert, reading no more of its spec than the severity. */
  async lockForFailSafe(manager: EntityManager, id: string): Promise<RawPlanRow | null> {
    const rows = await manager.query<RawPlanRow[]>(
      prepared(
        `SELECT reporter_id, alert_at, spec->>'missSeverity' AS severity FROM checkin_plans WHERE id = $1 FOR UPDATE`,
      ),
      [id],
    );
    return rows[0] ?? null;
  }

  /** After a fail-safe alert: the next one no sooner than `alertAt`; the plan is overdue since `missedAt`. */
  async postponeAlert(manager: EntityManager, id: string, alertAt: Date, missedAt: Date): Promise<void> {
    await manager.query(
      prepared(
        `UPDATE checkin_plans SET alert_at = $2, missed_at = coalesce(missed_at, $3), updated_at = now() WHERE id = $1`,
      ),
      [id, alertAt, missedAt],
    );
  }

  /** Plans whose alert is due but still unhandled: their job was lost, late or failed. */
  async overdueAlerts(before: Date, limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      prepared(`SELECT id FROM checkin_plans WHERE alert_at <= $1 ORDER BY alert_at LIMIT $2`),
      [before, limit],
    );
    return rows.map((r) => r.id);
  }

  async overdueReminders(before: Date, limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      prepared(
        `SELECT id FROM checkin_plans WHERE next_reminder_at IS NOT NULL AND next_reminder_at <= $1 ORDER BY next_reminder_at LIMIT $2`,
      ),
      [before, limit],
    );
    return rows.map((r) => r.id);
  }

  /**
   * One delayed job per deadline, its id derived from (plan, alert time): re-arming the same
   * deadline collapses into the job already queued, and a new deadline never collides with one
   * that fired.
   */
  private async armTimers(
    manager: EntityManager,
    plan: PlanRecord,
    which = { alert: true, reminder: true },
  ): Promise<void> {
    if (which.alert) {
      await enqueueInTransaction(
        manager,
        JobName.CheckinDeadline,
        { planId: plan.id },
        {
          jobId: checkinDeadlineJobId(plan.id, plan.state.alertAt),
          notBefore: plan.state.alertAt,
        },
      );
    }
    if (which.reminder && plan.nextReminderAt) {
      await enqueueInTransaction(
        manager,
        JobName.CheckinReminder,
        { planId: plan.id },
        {
          jobId: checkinReminderJobId(plan.id, plan.nextReminderAt),
          notBefore: plan.nextReminderAt,
        },
      );
    }
  }
}
