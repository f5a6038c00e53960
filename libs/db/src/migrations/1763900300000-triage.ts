import { MigrationInterface, QueryRunner } from 'typeorm';

/** Triage (issue 6): cases, versioned triage rule sets, and the report → case link. */
export class Triage1763900300000 implements MigrationInterface {
  name = 'Triage1763900300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "cases" (
      "id" uuid NOT NULL,
      "reporter_id" text NOT NULL,
      "state" text NOT NULL DEFAULT 'open',
      "severity" text NOT NULL,
      "team_id" uuid,
      "policy_id" uuid,
      "deadline_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "reasons" text array NOT NULL,
      "triage" jsonb,
      "version" integer NOT NULL DEFAULT '1',
      "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "resolved_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "cases_severity_check" CHECK (severity IN ('low', 'medium', 'high', 'critical')),
      CONSTRAINT "cases_state_check" CHECK (state IN ('open', 'acknowledged', 'resolved')),
      CONSTRAINT "PK_cases" PRIMARY KEY ("id"))`);
    // The invariant every signal relies on: one unresolved case per reporter.
    await q.query(
      `CREATE UNIQUE INDEX "cases_one_open_per_reporter" ON "cases" ("reporter_id") WHERE state <> 'resolved'`,
    );
    // Supervisor lists (keyset on deadline, id), overall and per team.
    await q.query(`CREATE INDEX "cases_list_idx" ON "cases" ("state", "deadline_at", "id")`);
    await q.query(`CREATE INDEX "cases_team_idx" ON "cases" ("team_id", "state", "deadline_at", "id")`);
    await q.query(`CREATE TABLE "triage_rule_sets" (
      "version" integer NOT NULL,
      "definition" jsonb NOT NULL,
      "active" boolean NOT NULL DEFAULT false,
      "created_by" uuid,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "activated_by" uuid,
      "activated_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "PK_triage_rule_sets" PRIMARY KEY ("version"))`);
    await q.query(
      `CREATE UNIQUE INDEX "triage_rule_sets_one_active" ON "triage_rule_sets" ("active") WHERE active`,
    );
    await q.query(`ALTER TABLE "reports" ADD "case_id" uuid`);
    await q.query(`CREATE INDEX "reports_case_idx" ON "reports" ("case_id")`);
    await q.query(
      `ALTER TABLE "cases" ADD CONSTRAINT "cases_reporter_fk" FOREIGN KEY ("reporter_id") REFERENCES "reporters"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // A team with cases cannot be deleted out from under them.
    await q.query(
      `ALTER TABLE "cases" ADD CONSTRAINT "cases_team_fk" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "reports" ADD CONSTRAINT "reports_case_fk" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "reports" DROP CONSTRAINT "reports_case_fk"`);
    await q.query(`DROP INDEX "reports_case_idx"`);
    await q.query(`ALTER TABLE "reports" DROP COLUMN "case_id"`);
    await q.query(`DROP TABLE "triage_rule_sets"`);
    await q.query(`DROP TABLE "cases"`);
  }
}
