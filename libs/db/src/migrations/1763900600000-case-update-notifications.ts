import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The notification outbox also carries case updates (issue 6: triage failed, admins are told;
 * issue 8: the reporter checked in after the alert, the assignee is told). Every notification
 * now names its case; a case update has no step or round (there may be no escalation run yet)
 * and is recorded once per (case, event, recipient, contact method).
 */
export class CaseUpdateNotifications1763900600000 implements MigrationInterface {
  name = 'CaseUpdateNotifications1763900600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "escalation_notifications" ADD "case_id" uuid`);
    await q.query(
      `UPDATE "escalation_notifications" n SET "case_id" = r."case_id" FROM "escalation_runs" r WHERE r."id" = n."run_id"`,
    );
    await q.query(`ALTER TABLE "escalation_notifications" ALTER COLUMN "case_id" SET NOT NULL`);
    await q.query(`ALTER TABLE "escalation_notifications" ADD "kind" text NOT NULL DEFAULT 'escalation'`);
    await q.query(`ALTER TABLE "escalation_notifications" ADD "event_key" text`);
    await q.query(`ALTER TABLE "escalation_notifications" ALTER COLUMN "run_id" DROP NOT NULL`);
    await q.query(`ALTER TABLE "escalation_notifications" ALTER COLUMN "step" DROP NOT NULL`);
    await q.query(`ALTER TABLE "escalation_notifications" ALTER COLUMN "round" DROP NOT NULL`);
    await q.query(
      `ALTER TABLE "escalation_notifications" ADD CONSTRAINT "escalation_notifications_kind_check" CHECK (` +
        `(kind = 'escalation' AND run_id IS NOT NULL AND step IS NOT NULL AND round IS NOT NULL AND event_key IS NULL) OR ` +
        `(kind = 'case_update' AND step IS NULL AND round IS NULL AND event_key IS NOT NULL))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "escalation_notifications_event_uq" ON "escalation_notifications"("case_id", "event_key", "recipient_id", "method_ref") WHERE event_key IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "escalation_notifications_event_uq"`);
    await q.query(
      `ALTER TABLE "escalation_notifications" DROP CONSTRAINT "escalation_notifications_kind_check"`,
    );
    await q.query(
      `DELETE FROM "escalation_notification_attempts" a USING "escalation_notifications" n WHERE a."notification_id" = n."id" AND n."kind" <> 'escalation'`,
    );
    await q.query(`DELETE FROM "escalation_notifications" WHERE "kind" <> 'escalation'`);
    await q.query(`ALTER TABLE "escalation_notifications" ALTER COLUMN "round" SET NOT NULL`);
    await q.query(`ALTER TABLE "escalation_notifications" ALTER COLUMN "step" SET NOT NULL`);
    await q.query(`ALTER TABLE "escalation_notifications" ALTER COLUMN "run_id" SET NOT NULL`);
    await q.query(`ALTER TABLE "escalation_notifications" DROP COLUMN "event_key"`);
    await q.query(`ALTER TABLE "escalation_notifications" DROP COLUMN "kind"`);
    await q.query(`ALTER TABLE "escalation_notifications" DROP COLUMN "case_id"`);
  }
}
