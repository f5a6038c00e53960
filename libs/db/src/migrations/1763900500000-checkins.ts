import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Safety check-ins, panic and duress (issue 8): plans with their deadlines, check-ins (times and
 * optional ciphertext only), panic presses, duress alerts, case safety events, reminders, and the
 * reporter's duress setting.
 */
export class Checkins1763900500000 implements MigrationInterface {
  name = 'Checkins1763900500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "checkin_plans" (
      "id" uuid NOT NULL,
      "reporter_id" text NOT NULL,
      "spec" jsonb NOT NULL,
      "next_deadline" TIMESTAMP WITH TIME ZONE NOT NULL,
      "alert_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "next_reminder_at" TIMESTAMP WITH TIME ZONE,
      "paused_until" TIMESTAMP WITH TIME ZONE,
      "missed_at" TIMESTAMP WITH TIME ZONE,
      "last_checkin_at" TIMESTAMP WITH TIME ZONE,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_checkin_plans" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "checkin_plans_reporter_key" ON "checkin_plans" ("reporter_id")`);
    // The sweeper's query (alert_at <= now) and the deadline list; reminders only where pending.
    await q.query(`CREATE INDEX "checkin_plans_alert_idx" ON "checkin_plans" ("alert_at")`);
    await q.query(`CREATE INDEX "checkin_plans_deadline_idx" ON "checkin_plans" ("next_deadline")`);
    await q.query(
      `CREATE INDEX "checkin_plans_reminder_idx" ON "checkin_plans" ("next_reminder_at") WHERE next_reminder_at IS NOT NULL`,
    );

    await q.query(`CREATE TABLE "checkins" (
      "id" uuid NOT NULL,
      "reporter_id" text NOT NULL,
      "checked_in_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "deadline" TIMESTAMP WITH TIME ZONE,
      "outcome" text NOT NULL,
      "envelope" jsonb,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "checkins_outcome_check" CHECK (outcome IN ('on_time', 'late', 'after_alert', 'recorded', 'duress')),
      CONSTRAINT "PK_checkins" PRIMARY KEY ("id"))`);
    await q.query(
      `CREATE INDEX "checkins_reporter_idx" ON "checkins" ("reporter_id", "checked_in_at", "id")`,
    );

    await q.query(`CREATE TABLE "panic_events" (
      "id" uuid NOT NULL,
      "reporter_id" text NOT NULL,
      "pressed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "repeat" boolean NOT NULL,
      "case_id" uuid,
      CONSTRAINT "PK_panic_events" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "panic_events_reporter_idx" ON "panic_events" ("reporter_id", "pressed_at")`);

    await q.query(`CREATE TABLE "duress_alerts" (
      "session_id" uuid NOT NULL,
      "reporter_id" text NOT NULL,
      "case_id" uuid NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_duress_alerts" PRIMARY KEY ("session_id"))`);

    await q.query(`CREATE TABLE "case_safety_events" (
      "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
      "case_id" uuid NOT NULL,
      "kind" text NOT NULL,
      "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "case_safety_events_kind_check" CHECK (kind IN ('missed_checkin', 'checked_in_after_alert', 'panic', 'duress_signin', 'duress_checkin')),
      CONSTRAINT "PK_case_safety_events" PRIMARY KEY ("id"))`);
    await q.query(
      `CREATE INDEX "case_safety_events_case_idx" ON "case_safety_events" ("case_id", "occurred_at")`,
    );

    await q.query(`CREATE TABLE "checkin_reminders" (
      "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
      "reporter_id" text NOT NULL,
      "plan_id" uuid NOT NULL,
      "deadline" TIMESTAMP WITH TIME ZONE NOT NULL,
      "remind_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_checkin_reminders" PRIMARY KEY ("id"))`);
    // One reminder per plan and moment, however often the job and the sweeper race.
    await q.query(
      `CREATE UNIQUE INDEX "checkin_reminders_once" ON "checkin_reminders" ("plan_id", "remind_at")`,
    );
    await q.query(
      `CREATE INDEX "checkin_reminders_reporter_idx" ON "checkin_reminders" ("reporter_id", "remind_at", "id")`,
    );

    await q.query(`CREATE TABLE "reporter_duress_settings" (
      "reporter_id" text NOT NULL,
      "show_reports" boolean NOT NULL DEFAULT false,
      CONSTRAINT "PK_reporter_duress_settings" PRIMARY KEY ("reporter_id"))`);

    for (const table of [
      'checkin_plans',
      'checkins',
      'panic_events',
      'duress_alerts',
      'checkin_reminders',
      'reporter_duress_settings',
    ]) {
      await q.query(
        `ALTER TABLE "${table}" ADD CONSTRAINT "${table}_reporter_fk" FOREIGN KEY ("reporter_id") REFERENCES "reporters"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
      );
    }
    await q.query(
      `ALTER TABLE "case_safety_events" ADD CONSTRAINT "case_safety_events_case_fk" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'case_safety_events',
      'reporter_duress_settings',
      'checkin_reminders',
      'duress_alerts',
      'panic_events',
      'checkins',
      'checkin_plans',
    ]) {
      await q.query(`DROP TABLE "${table}"`);
    }
  }
}
