import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14: a case can be assigned to one staff member (CaseRepository.assign, the only writer),
 * and a caseworker's list finds the cases assigned to them by index.
 */
export class CaseAssignee1764000000000 implements MigrationInterface {
  name = 'CaseAssignee1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "cases" ADD "assignee_id" uuid`);
    await q.query(
      `CREATE INDEX "cases_assignee_idx" ON "cases" ("assignee_id", "state", "deadline_at", "id")`,
    );
    await q.query(
      `ALTER TABLE "cases" ADD CONSTRAINT "cases_assignee_fk" FOREIGN KEY ("assignee_id") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "cases" DROP CONSTRAINT "cases_assignee_fk"`);
    await q.query(`DROP INDEX "cases_assignee_idx"`);
    await q.query(`ALTER TABLE "cases" DROP COLUMN "assignee_id"`);
  }
}
