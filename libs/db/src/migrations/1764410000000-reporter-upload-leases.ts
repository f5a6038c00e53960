import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One attachment upload in flight per reporter: parallel uploads each staged their bytes before
 * the quota's locked check, so a burst briefly stored more than REPORTER_QUOTA_BYTES. A second
 * upload while the reporter's lease is live answers 429 `quota/uploads_in_flight`; a lease left by
 * a crashed API expires (AttachmentService).
 */
export class ReporterUploadLeases1764410000000 implements MigrationInterface {
  name = 'ReporterUploadLeases1764410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "reporter_upload_leases" ("reporter_id" text NOT NULL, "upload_id" uuid NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "reporter_upload_leases_pk" PRIMARY KEY ("reporter_id"))`,
    );
    await q.query(
      `ALTER TABLE "reporter_upload_leases" ADD CONSTRAINT "reporter_upload_leases_reporter_fk" FOREIGN KEY ("reporter_id") REFERENCES "reporters"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "reporter_upload_leases"`);
  }
}
