import { MigrationInterface, QueryRunner } from 'typeorm';

/** Staff identity (teams, accounts, invitations, sessions, recovery codes) and the audit log. */
export class Identity1763900100000 implements MigrationInterface {
  name = 'Identity1763900100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "teams" ("id" uuid NOT NULL, "name" text NOT NULL, "regions" text array NOT NULL DEFAULT '{}', "languages" text array NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7e5523774a38b08a6236d322403" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "teams_name_uq" ON "teams" ("name")`);

    await q.query(
      `CREATE TABLE "staff" ("id" uuid NOT NULL, "login" text NOT NULL, "label" text NOT NULL, "role" text NOT NULL, "status" text NOT NULL, "kdf_salt" text NOT NULL, "auth_key_hash" text, "box_pk" text NOT NULL, "sign_pk" text NOT NULL, "protected_secret" text NOT NULL, "totp_secret" text, "totp_last_step" bigint, "invited_by" uuid, "invitation_id" uuid, "approved_by" uuid, "approved_at" TIMESTAMP WITH TIME ZONE, "status_changed_by" uuid, "status_changed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_e4ee98bb552756c180aec1e854a" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "staff_role_status_idx" ON "staff" ("role", "status")`);
    await q.query(`CREATE UNIQUE INDEX "staff_login_uq" ON "staff" ("login")`);

    await q.query(
      `CREATE TABLE "staff_teams" ("staff_id" uuid NOT NULL, "team_id" uuid NOT NULL, CONSTRAINT "PK_cabed1654d834f4d96ddb56b189" PRIMARY KEY ("staff_id", "team_id"))`,
    );
    await q.query(`CREATE INDEX "staff_teams_team_idx" ON "staff_teams" ("team_id")`);
    await q.query(
      `ALTER TABLE "staff_teams" ADD CONSTRAINT "staff_teams_staff_fk" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "staff_teams" ADD CONSTRAINT "staff_teams_team_fk" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );

    await q.query(
      `CREATE TABLE "staff_invitations" ("id" uuid NOT NULL, "kind" text NOT NULL, "token_digest" text NOT NULL, "label" text NOT NULL, "role" text NOT NULL, "team_ids" uuid array NOT NULL DEFAULT '{}', "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "used_by" uuid, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_842e5346c92d8003bdb2140b6c8" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "staff_invitations_open_idx" ON "staff_invitations" ("created_at") WHERE used_at IS NULL AND revoked_at IS NULL`,
    );
    await q.query(`CREATE UNIQUE INDEX "staff_invitations_token_uq" ON "staff_invitations" ("token_digest")`);

    await q.query(
      `CREATE TABLE "staff_sessions" ("id" uuid NOT NULL, "staff_id" uuid NOT NULL, "token_digest" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "revoke_reason" text, CONSTRAINT "PK_b9be2467392ab95efaa3661cce2" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "staff_sessions_live_idx" ON "staff_sessions" ("staff_id") WHERE revoked_at IS NULL`,
    );
    await q.query(`CREATE UNIQUE INDEX "staff_sessions_token_uq" ON "staff_sessions" ("token_digest")`);
    await q.query(
      `ALTER TABLE "staff_sessions" ADD CONSTRAINT "staff_sessions_staff_fk" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );

    await q.query(
      `CREATE TABLE "staff_recovery_codes" ("id" uuid NOT NULL, "staff_id" uuid NOT NULL, "code_digest" text NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_691d7c6b7f1a1adaffc3c763573" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "staff_recovery_codes_uq" ON "staff_recovery_codes" ("staff_id", "code_digest")`,
    );
    await q.query(
      `ALTER TABLE "staff_recovery_codes" ADD CONSTRAINT "staff_recovery_codes_staff_fk" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );

    await q.query(
      `CREATE TABLE "audit_log" ("seq" bigint NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor_type" text NOT NULL, "actor_id" text, "action" text NOT NULL, "target_type" text, "target_id" text, "details" jsonb NOT NULL DEFAULT '{}', "prev_hash" text NOT NULL, "hash" text NOT NULL, CONSTRAINT "PK_ce5b9b7d945cab0a6c604bafd9e" PRIMARY KEY ("seq"))`,
    );
    await q.query(
      `CREATE TABLE "audit_chain_head" ("id" smallint NOT NULL, "last_seq" bigint NOT NULL, "last_hash" text NOT NULL, CONSTRAINT "PK_9211408bf584034de409b1bbec5" PRIMARY KEY ("id"))`,
    );
    // The genesis head: appenders lock this row, which serialises the chain across API instances.
    await q.query(
      `INSERT INTO "audit_chain_head" ("id", "last_seq", "last_hash") VALUES (1, 0, '${'0'.repeat(128)}')`,
    );
    // Append-only at the database too: a bug or a hand-typed UPDATE cannot rewrite history
    // (a database owner can still disable the trigger, which `panah audit verify` then catches).
    await q.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`);
    await q.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON "audit_log"
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER audit_log_append_only ON "audit_log"`);
    await q.query(`DROP FUNCTION audit_log_append_only()`);
    await q.query(`DROP TABLE "audit_chain_head"`);
    await q.query(`DROP TABLE "audit_log"`);
    await q.query(`DROP TABLE "staff_recovery_codes"`);
    await q.query(`DROP TABLE "staff_sessions"`);
    await q.query(`DROP TABLE "staff_invitations"`);
    await q.query(`DROP TABLE "staff_teams"`);
    await q.query(`DROP TABLE "staff"`);
    await q.query(`DROP TABLE "teams"`);
  }
}
