import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `panah_cases_oldest_unacknowledged_seconds` counted from `opened_at`, so a case reopened by a
 * critical signal, or put back to unacknowledged, looked as old as its first opening. The case now
 * records when it last became open and unacknowledged (set on open, reopen and unacknowledge by
 * CaseRepository); existing rows start from `opened_at`, the best figure they have.
 */
export class CaseUnacknowledgedSince1764400000000 implements MigrationInterface {
  name = 'CaseUnacknowledgedSince1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "cases" ADD "unacknowledged_since" TIMESTAMP WITH TIME ZONE`);
    await q.query(`UPDATE "cases" SET "unacknowledged_since" = "opened_at"`);
    await q.query(`ALTER TABLE "cases" ALTER COLUMN "unacknowledged_since" SET DEFAULT now()`);
    await q.query(`ALTER TABLE "cases" ALTER COLUMN "unacknowledged_since" SET NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "cases" DROP COLUMN "unacknowledged_since"`);
  }
}
