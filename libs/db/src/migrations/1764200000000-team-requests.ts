import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 18: a team membership added by one admin waits for a second admin's approval. */
export class TeamRequests1764200000000 implements MigrationInterface {
  name = 'TeamRequests1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "staff_team_requests" ("staff_id" uuid NOT NULL, "team_id" uuid NOT NULL, "requested_by" uuid NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "staff_team_requests_pk" PRIMARY KEY ("staff_id", "team_id"))`,
    );
    await q.query(`CREATE INDEX "staff_team_requests_team_idx" ON "staff_team_requests" ("team_id")`);
    await q.query(
      `ALTER TABLE "staff_team_requests" ADD CONSTRAINT "staff_team_requests_staff_fk" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "staff_team_requests" ADD CONSTRAINT "staff_team_requests_team_fk" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "staff_team_requests" ADD CONSTRAINT "staff_team_requests_requested_by_fk" FOREIGN KEY ("requested_by") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "staff_team_requests"`);
  }
}
