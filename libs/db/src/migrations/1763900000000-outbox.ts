import { MigrationInterface, QueryRunner } from 'typeorm';

export class Outbox1763900000000 implements MigrationInterface {
  name = 'Outbox1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "outbox" (
        "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
        "job_name" text NOT NULL,
        "payload" jsonb NOT NULL,
        "job_id" text,
        "not_before" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "relayed_at" TIMESTAMP WITH TIME ZONE,
        "relay_attempts" integer NOT NULL DEFAULT 0,
        CONSTRAINT "PK_outbox" PRIMARY KEY ("id")
      )`);
    await q.query(`CREATE INDEX "outbox_pending_idx" ON "outbox" ("id") WHERE relayed_at IS NULL`);
    await q.query(
      `CREATE INDEX "outbox_relayed_at_idx" ON "outbox" ("relayed_at") WHERE relayed_at IS NOT NULL`,
    );
    // Wake the relay the moment a transaction that wrote to the outbox commits (NOTIFY is
    // transactional: nothing is sent for a rolled-back insert).
    await q.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('panah_outbox', ''); RETURN NULL; END $$`);
    await q.query(`
      CREATE TRIGGER outbox_notify AFTER INSERT ON "outbox"
      FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER outbox_notify ON "outbox"`);
    await q.query(`DROP FUNCTION outbox_notify()`);
    await q.query(`DROP TABLE "outbox"`);
  }
}
