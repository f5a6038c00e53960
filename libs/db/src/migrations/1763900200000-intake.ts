import { MigrationInterface, QueryRunner } from 'typeorm';

/** Reporter intake (issue 5): anonymous reporters, key directories, reports, attachments, messages. */
export class Intake1763900200000 implements MigrationInterface {
  name = 'Intake1763900200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "reporters" (
      "id" text NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_reporters" PRIMARY KEY ("id"))`);
    await q.query(`CREATE TABLE "reporter_keys" (
      "kid" text NOT NULL,
      "reporter_id" text NOT NULL,
      "sign_pk" text NOT NULL,
      "box_pk" text NOT NULL,
      "purpose" text NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "reporter_keys_purpose_check" CHECK (purpose IN ('primary', 'duress')),
      CONSTRAINT "PK_reporter_keys" PRIMARY KEY ("kid"))`);
    await q.query(`CREATE INDEX "reporter_keys_reporter_idx" ON "reporter_keys" ("reporter_id")`);
    await q.query(`CREATE TABLE "reporter_sessions" (
      "id" uuid NOT NULL,
      "token_digest" text NOT NULL,
      "reporter_id" text NOT NULL,
      "key_kid" text NOT NULL,
      "duress" boolean NOT NULL DEFAULT false,
      "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_reporter_sessions" PRIMARY KEY ("id"))`);
    await q.query(
      `CREATE UNIQUE INDEX "reporter_sessions_token_digest_key" ON "reporter_sessions" ("token_digest")`,
    );
    await q.query(`CREATE INDEX "reporter_sessions_expires_idx" ON "reporter_sessions" ("expires_at")`);
    await q.query(`CREATE TABLE "key_directories" (
      "serial" bigint NOT NULL,
      "document" jsonb NOT NULL,
      "intake_kids" text array NOT NULL,
      "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "published_by" text,
      "published_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_key_directories" PRIMARY KEY ("serial"))`);
    await q.query(`CREATE TABLE "reports" (
      "id" uuid NOT NULL,
      "reporter_id" text NOT NULL,
      "status" text NOT NULL DEFAULT 'received',
      "envelope" jsonb NOT NULL,
      "hints" text,
      "request_digest" text NOT NULL,
      "directory_serial" bigint NOT NULL,
      "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "triaged_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "reports_status_check" CHECK (status IN ('received', 'triaged', 'in_progress', 'closed')),
      CONSTRAINT "PK_reports" PRIMARY KEY ("id"))`);
    // The reconciler's scan: only reports still waiting for triage.
    await q.query(
      `CREATE INDEX "reports_received_idx" ON "reports" ("received_at") WHERE status = 'received'`,
    );
    await q.query(`CREATE INDEX "reports_reporter_idx" ON "reports" ("reporter_id", "received_at", "id")`);
    await q.query(`CREATE TABLE "report_attachments" (
      "report_id" uuid NOT NULL,
      "id" uuid NOT NULL,
      "upload_id" uuid NOT NULL,
      "size" bigint NOT NULL,
      "sha256" text NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_report_attachments" PRIMARY KEY ("report_id", "id"))`);
    await q.query(
      `CREATE UNIQUE INDEX "report_attachments_upload_key" ON "report_attachments" ("upload_id")`,
    );
    await q.query(`CREATE TABLE "attachment_chunks" (
      "upload_id" uuid NOT NULL,
      "seq" integer NOT NULL,
      "data" bytea NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_attachment_chunks" PRIMARY KEY ("upload_id", "seq"))`);
    // Ciphertext does not compress: skip TOAST's futile compression attempt on every chunk.
    await q.query(`ALTER TABLE "attachment_chunks" ALTER COLUMN "data" SET STORAGE EXTERNAL`);
    await q.query(`CREATE INDEX "attachment_chunks_created_idx" ON "attachment_chunks" ("created_at")`);
    await q.query(`CREATE TABLE "reporter_messages" (
      "id" uuid NOT NULL,
      "reporter_id" text NOT NULL,
      "report_id" uuid,
      "envelope" jsonb NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_reporter_messages" PRIMARY KEY ("id"))`);
    await q.query(
      `CREATE INDEX "reporter_messages_reporter_idx" ON "reporter_messages" ("reporter_id", "created_at", "id")`,
    );
    const fk = (
      table: string,
      name: string,
      column: string,
      target: string,
      key: string,
      onDelete: string,
    ): Promise<unknown> =>
      q.query(
        `ALTER TABLE "${table}" ADD CONSTRAINT "${name}" FOREIGN KEY ("${column}") REFERENCES "${target}"("${key}") ON DELETE ${onDelete} ON UPDATE NO ACTION`,
      );
    await fk('reporter_keys', 'reporter_keys_reporter_fk', 'reporter_id', 'reporters', 'id', 'CASCADE');
    await fk(
      'reporter_sessions',
      'reporter_sessions_reporter_fk',
      'reporter_id',
      'reporters',
      'id',
      'CASCADE',
    );
    await fk('reporter_sessions', 'reporter_sessions_key_fk', 'key_kid', 'reporter_keys', 'kid', 'CASCADE');
    // A reporter with reports is never deleted by accident.
    await fk('reports', 'reports_reporter_fk', 'reporter_id', 'reporters', 'id', 'RESTRICT');
    await fk('report_attachments', 'report_attachments_report_fk', 'report_id', 'reports', 'id', 'CASCADE');
    await fk(
      'reporter_messages',
      'reporter_messages_reporter_fk',
      'reporter_id',
      'reporters',
      'id',
      'CASCADE',
    );
    await fk('reporter_messages', 'reporter_messages_report_fk', 'report_id', 'reports', 'id', 'CASCADE');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'reporter_messages',
      'attachment_chunks',
      'report_attachments',
      'reports',
      'key_directories',
      'reporter_sessions',
      'reporter_keys',
      'reporters',
    ]) {
      await q.query(`DROP TABLE "${table}"`);
    }
  }
}
