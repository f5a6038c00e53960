import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18 point 7: reports per reporter and UTC day, against REPORTER_QUOTA_REPORTS_PER_DAY. The
 * check constraint is the quota: a submission that would pass it fails as a whole (no report).
 */
export class ReporterQuotas1764330000000 implements MigrationInterface {
  name = 'ReporterQuotas1764330000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "reporter_daily_usage" ("reporter_id" text NOT NULL, "day" date NOT NULL, "reports" integer NOT NULL, "max_reports" integer NOT NULL, CONSTRAINT "reporter_daily_usage_quota_check" CHECK (reports <= max_reports), CONSTRAINT "reporter_daily_usage_pk" PRIMARY KEY ("reporter_id", "day"))`,
    );
    await q.query(
      `ALTER TABLE "reporter_daily_usage" ADD CONSTRAINT "reporter_daily_usage_reporter_fk" FOREIGN KEY ("reporter_id") REFERENCES "reporters"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "reporter_daily_usage"`);
  }
}
