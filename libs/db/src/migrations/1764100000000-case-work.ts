import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15, case work: the conversation (reporter_messages gains its case, its author and a
 * request digest for idempotent PUTs), case notes, grants (crypto-v1 §10) and case events
 * (assignments and hand-overs).
 */
export class CaseWork1764100000000 implements MigrationInterface {
  name = 'CaseWork1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "reporter_messages" ADD "case_id" uuid`);
    await q.query(`ALTER TABLE "reporter_messages" ADD "author_type" text NOT NULL DEFAULT 'staff'`);
    await q.query(`ALTER TABLE "reporter_messages" ADD "author_staff_id" uuid`);
    await q.query(`ALTER TABLE "reporter_messages" ADD "request_digest" text`);
    await q.query(
      `ALTER TABLE "reporter_messages" ADD CONSTRAINT "reporter_messages_author_check" CHECK ((author_type = 'staff' AND author_staff_id IS NOT NULL) OR (author_type = 'reporter' AND author_staff_id IS NULL))`,
    );
    await q.query(
      `CREATE INDEX "reporter_messages_case_idx" ON "reporter_messages" ("case_id", "created_at", "id")`,
    );
    await q.query(
      `ALTER TABLE "reporter_messages" ADD CONSTRAINT "reporter_messages_case_fk" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "reporter_messages" ADD CONSTRAINT "reporter_messages_author_fk" FOREIGN KEY ("author_staff_id") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );

    await q.query(`CREATE TABLE "case_notes" (
      "id" uuid NOT NULL,
      "case_id" uuid NOT NULL,
      "author_id" uuid NOT NULL,
      "envelope" jsonb NOT NULL,
      "request_digest" text NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_case_notes" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "case_notes_case_idx" ON "case_notes" ("case_id", "created_at", "id")`);
    await q.query(
      `ALTER TABLE "case_notes" ADD CONSTRAINT "case_notes_case_fk" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "case_notes" ADD CONSTRAINT "case_notes_author_fk" FOREIGN KEY ("author_id") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );

    await q.query(`CREATE TABLE "case_grants" (
      "envelope_id" uuid NOT NULL,
      "kid" text NOT NULL,
      "case_id" uuid NOT NULL,
      "wk" text NOT NULL,
      "by_kid" text NOT NULL,
      "sig" text NOT NULL,
      "granted_by" uuid NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_case_grants" PRIMARY KEY ("envelope_id", "kid"))`);
    await q.query(`CREATE INDEX "case_grants_case_idx" ON "case_grants" ("case_id", "kid")`);
    await q.query(
      `ALTER TABLE "case_grants" ADD CONSTRAINT "case_grants_case_fk" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "case_grants" ADD CONSTRAINT "case_grants_granted_by_fk" FOREIGN KEY ("granted_by") REFERENCES "staff"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );

    await q.query(`CREATE TABLE "case_events" (
      "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
      "case_id" uuid NOT NULL,
      "kind" text NOT NULL,
      "actor_id" uuid,
      "details" jsonb NOT NULL DEFAULT '{}',
      "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "case_events_kind_check" CHECK (kind IN ('assigned', 'handed_over')),
      CONSTRAINT "PK_case_events" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "case_events_case_idx" ON "case_events" ("case_id", "at")`);
    await q.query(
      `ALTER TABLE "case_events" ADD CONSTRAINT "case_events_case_fk" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "case_events"`);
    await q.query(`DROP TABLE "case_grants"`);
    await q.query(`DROP TABLE "case_notes"`);
    await q.query(`ALTER TABLE "reporter_messages" DROP CONSTRAINT "reporter_messages_author_fk"`);
    await q.query(`ALTER TABLE "reporter_messages" DROP CONSTRAINT "reporter_messages_case_fk"`);
    await q.query(`DROP INDEX "reporter_messages_case_idx"`);
    await q.query(`ALTER TABLE "reporter_messages" DROP CONSTRAINT "reporter_messages_author_check"`);
    for (const column of ['request_digest', 'author_staff_id', 'author_type', 'case_id'])
      await q.query(`ALTER TABLE "reporter_messages" DROP COLUMN "${column}"`);
  }
}
