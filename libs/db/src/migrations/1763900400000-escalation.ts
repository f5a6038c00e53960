import { MigrationInterface, QueryRunner } from 'typeorm';

/** Escalation policies (versioned), runs and their events, the notification outbox, contact methods, on-call. */
export class Escalation1763900400000 implements MigrationInterface {
  name = 'Escalation1763900400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "contact_methods" ("id" uuid NOT NULL, "staff_id" uuid NOT NULL, "channel" text NOT NULL, "priority" integer NOT NULL, "detail_ciphertext" text NOT NULL, "enabled" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_23dba1e45090b3cee8798abce5c" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "contact_methods_staff_idx" ON "contact_methods"("staff_id", "priority")`);
    await q.query(
      `CREATE TABLE "staff_notification_settings" ("staff_id" uuid NOT NULL, "time_zone" text NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_04c6a21ff2e9cd83529692d02d3" PRIMARY KEY ("staff_id"))`,
    );
    await q.query(
      `CREATE TABLE "oncall_schedules" ("id" uuid NOT NULL, "team_id" uuid NOT NULL, "time_zone" text NOT NULL, "handoff_time" text NOT NULL, "rotation_start" text NOT NULL, "members" uuid array NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_20938cc6fa52aa0f4433e1357c5" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "oncall_schedules_team_uq" ON "oncall_schedules"("team_id")`);
    await q.query(
      `CREATE TABLE "oncall_overrides" ("id" uuid NOT NULL, "schedule_id" uuid NOT NULL, "staff_id" uuid NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_61208606e11a80660f540d6dc8a" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "oncall_overrides_schedule_idx" ON "oncall_overrides"("schedule_id", "ends_at")`,
    );
    await q.query(
      `CREATE TABLE "escalation_notifications" ("id" uuid NOT NULL, "run_id" uuid NOT NULL, "step" integer NOT NULL, "round" integer NOT NULL, "recipient_id" uuid NOT NULL, "method_ref" text NOT NULL, "channel" text NOT NULL, "status" text NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE, "lease_until" TIMESTAMP WITH TIME ZONE, "fallback_of" uuid, "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "delivered_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_fdbc70946693ed140d877de99f3" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "escalation_notifications_due_idx" ON "escalation_notifications"("next_attempt_at") WHERE status IN ('pending', 'sending')`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "escalation_notifications_key_uq" ON "escalation_notifications"("run_id", "step", "round", "recipient_id", "method_ref")`,
    );
    await q.query(
      `CREATE TABLE "escalation_notification_attempts" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "notification_id" uuid NOT NULL, "attempt" integer NOT NULL, "channel" text NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "finished_at" TIMESTAMP WITH TIME ZONE NOT NULL, "outcome" text NOT NULL, "error" text, CONSTRAINT "PK_11abcac3e844024184c5a8b04f1" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "escalation_notification_attempts_uq" ON "escalation_notification_attempts"("notification_id", "attempt")`,
    );
    await q.query(
      `CREATE TABLE "escalation_policies" ("id" uuid NOT NULL, "name" text NOT NULL, "current_version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_aea3f30839009e0efd350e4cbc7" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "escalation_policies_name_uq" ON "escalation_policies"("name")`);
    await q.query(
      `CREATE TABLE "escalation_policy_versions" ("policy_id" uuid NOT NULL, "version" integer NOT NULL, "definition" jsonb NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_da684a2057dbb43c708405bb9d2" PRIMARY KEY ("policy_id", "version"))`,
    );
    await q.query(
      `CREATE TABLE "escalation_runs" ("id" uuid NOT NULL, "case_id" uuid NOT NULL, "policy_id" uuid NOT NULL, "policy_version" integer NOT NULL, "severity" text NOT NULL, "team_id" uuid, "short_ref" text NOT NULL, "state" text NOT NULL, "step" integer NOT NULL, "round" integer NOT NULL, "repeats" jsonb NOT NULL DEFAULT '{}', "fence" integer NOT NULL DEFAULT '0', "next_step_at" TIMESTAMP WITH TIME ZONE, "acknowledged_at" TIMESTAMP WITH TIME ZONE, "acknowledged_by" uuid, "resolved_at" TIMESTAMP WITH TIME ZONE, "overdue_at" TIMESTAMP WITH TIME ZONE, "swept_at" TIMESTAMP WITH TIME ZONE, "sweeps" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_971e358d451887839040800eb8c" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "escalation_runs_due_idx" ON "escalation_runs"("next_step_at") WHERE state IN ('active', 'snoozed', 'acknowledged') AND next_step_at IS NOT NULL`,
    );
    await q.query(`CREATE UNIQUE INDEX "escalation_runs_case_uq" ON "escalation_runs"("case_id")`);
    await q.query(
      `CREATE TABLE "escalation_run_events" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "run_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "kind" text NOT NULL, "step" integer, "round" integer, "actor_id" uuid, "details" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "PK_a3c0cb1c34fd18ad4243d55c468" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "escalation_run_events_run_idx" ON "escalation_run_events"("run_id", "id")`);
    await q.query(
      `CREATE TABLE "escalation_ack_links" ("token_digest" text NOT NULL, "run_id" uuid NOT NULL, "recipient_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_bc5e1aaac5d17e3fc3ad10cc2d5" PRIMARY KEY ("token_digest"))`,
    );
    await q.query(`CREATE INDEX "escalation_ack_links_run_idx" ON "escalation_ack_links"("run_id")`);
    await q.query(
      `ALTER TABLE "escalation_policy_versions" ADD CONSTRAINT "escalation_policy_versions_policy_fk" FOREIGN KEY ("policy_id") REFERENCES "escalation_policies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "escalation_ack_links"`);
    await q.query(`DROP TABLE "escalation_run_events"`);
    await q.query(`DROP TABLE "escalation_runs"`);
    await q.query(`DROP TABLE "escalation_policy_versions"`);
    await q.query(`DROP TABLE "escalation_policies"`);
    await q.query(`DROP TABLE "escalation_notification_attempts"`);
    await q.query(`DROP TABLE "escalation_notifications"`);
    await q.query(`DROP TABLE "oncall_overrides"`);
    await q.query(`DROP TABLE "oncall_schedules"`);
    await q.query(`DROP TABLE "staff_notification_settings"`);
    await q.query(`DROP TABLE "contact_methods"`);
  }
}
