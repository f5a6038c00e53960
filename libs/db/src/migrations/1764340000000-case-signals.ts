import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15 point 6 / G4: each signal's case.updated has a durable trace. The case records the
 * last signal and the version it wrote; the run records the last signal version the engine
 * handled; the escalation sweeper re-announces a signal whose run is behind. A critical signal
 * reopens the reporter's latest resolved case (found through the new index).
 */
export class CaseSignals1764340000000 implements MigrationInterface {
  name = 'CaseSignals1764340000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "cases" ADD "signal_kind" text`);
    await q.query(`ALTER TABLE "cases" ADD "signal_version" integer`);
    await q.query(`ALTER TABLE "escalation_runs" ADD "signal_version" integer`);
    await q.query(
      `CREATE INDEX "cases_resolved_by_reporter_idx" ON "cases" ("reporter_id", "resolved_at") WHERE state = 'resolved'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "cases_resolved_by_reporter_idx"`);
    await q.query(`ALTER TABLE "escalation_runs" DROP COLUMN "signal_version"`);
    await q.query(`ALTER TABLE "cases" DROP COLUMN "signal_version"`);
    await q.query(`ALTER TABLE "cases" DROP COLUMN "signal_kind"`);
  }
}
