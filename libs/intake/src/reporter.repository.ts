import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { prepared } from '@panah/db';

/** The `reporters` table's statements for other capabilities, with the caller's transaction. */
@Injectable()
export class ReporterRepository {
  /**
   * Locks reporters in id order: the row every signal about a reporter (report triage, missed
   * check-in, panic, duress) serialises on before it opens or raises their case. NO KEY UPDATE:
   * does not block the foreign-key checks of reports being submitted meanwhile.
   */
  async lockForSignals(m: EntityManager, reporterIds: readonly string[]): Promise<void> {
    await m.query(
      prepared(`SELECT id FROM reporters WHERE id = ANY($1::text[]) ORDER BY id FOR NO KEY UPDATE`),
      [reporterIds],
    );
  }

  /** One reporter, locked exclusively (panic presses and duress alerts serialise on it). */
  async lockOne(m: EntityManager, reporterId: string): Promise<void> {
    await m.query(`SELECT id FROM reporters WHERE id = $1 FOR UPDATE`, [reporterId]);
  }

  /** A reporter session as check-ins see it, or null. */
  async session(m: EntityManager, sessionId: string): Promise<ReporterSessionRow | null> {
    const rows = (await m.query(
      `SELECT id, reporter_id, duress, created_at FROM reporter_sessions WHERE id = $1`,
      [sessionId],
    )) as ReporterSessionRow[];
    return rows[0] ?? null;
  }

  /** Duress sessions that were live within the last hour, oldest first (the duress sweeper's candidates). */
  async recentDuressSessionIds(m: EntityManager, limit: number): Promise<string[]> {
    const rows = (await m.query(
      `SELECT id FROM reporter_sessions WHERE expires_at > now() - interval '1 hour' AND duress ORDER BY created_at LIMIT $1`,
      [limit],
    )) as Pick<ReporterSessionRow, 'id'>[];
    return rows.map((r) => r.id);
  }

  /** One of the reporter's signing keys by kid, or null. */
  async signingKey(m: EntityManager, reporterId: string, kid: string): Promise<ReporterSigningKeyRow | null> {
    const rows = (await m.query(
      `SELECT sign_pk, purpose FROM reporter_keys WHERE kid = $1 AND reporter_id = $2`,
      [kid, reporterId],
    )) as ReporterSigningKeyRow[];
    return rows[0] ?? null;
  }

  /** Of these kids, those already registered, locked until the transaction ends (registration). */
  async lockTakenKids(m: EntityManager, kids: readonly string[]): Promise<string[]> {
    const rows = (await m.query(
      prepared(`SELECT kid FROM reporter_keys WHERE kid = ANY($1::text[]) FOR UPDATE`),
      [kids],
    )) as { kid: string }[];
    return rows.map((r) => r.kid);
  }

  /** Creates the reporter row; false when the id is taken. */
  async insertReporter(m: EntityManager, reporterId: string): Promise<boolean> {
    const rows = (await m.query(
      prepared(`INSERT INTO reporters (id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING id`),
      [reporterId],
    )) as unknown[];
    return rows.length > 0;
  }

  async insertKey(m: EntityManager, key: NewReporterKey): Promise<void> {
    await m.query(
      prepared(
        `INSERT INTO reporter_keys (kid, reporter_id, sign_pk, box_pk, purpose) VALUES ($1, $2, $3, $4, $5)`,
      ),
      [key.kid, key.reporterId, key.signPk, key.boxPk, key.purpose],
    );
  }

  /** Every key registered for a reporter (a retried registration compares them). */
  async keysOf(m: EntityManager, reporterId: string): Promise<ReporterPublicKeyRow[]> {
    return (await m.query(
      prepared(`SELECT kid, sign_pk, box_pk, purpose FROM reporter_keys WHERE reporter_id = $1`),
      [reporterId],
    )) as ReporterPublicKeyRow[];
  }

  /** The key a sign-in names, whichever reporter holds it, or null. */
  async keyByKid(m: EntityManager, kid: string): Promise<ReporterSignInKeyRow | null> {
    const rows = (await m.query(
      prepared(`SELECT reporter_id, sign_pk, purpose FROM reporter_keys WHERE kid = $1`),
      [kid],
    )) as ReporterSignInKeyRow[];
    return rows[0] ?? null;
  }

  async insertSession(m: EntityManager, session: NewReporterSession): Promise<void> {
    await m.query(
      prepared(
        `INSERT INTO reporter_sessions (id, token_digest, reporter_id, key_kid, duress, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      ),
      [
        session.id,
        session.tokenDigest,
        session.reporterId,
        session.keyKid,
        session.duress,
        session.expiresAt,
      ],
    );
  }

  /** The live session with this token digest, or null. */
  async liveSessionByDigest(
    m: EntityManager,
    digest: string,
  ): Promise<Pick<ReporterSessionRow, 'id' | 'reporter_id'> | null> {
    const rows = (await m.query(
      prepared(
        `SELECT id, reporter_id FROM reporter_sessions WHERE token_digest = $1 AND expires_at > now()`,
      ),
      [digest],
    )) as Pick<ReporterSessionRow, 'id' | 'reporter_id'>[];
    return rows[0] ?? null;
  }

  async deleteSession(m: EntityManager, sessionId: string): Promise<void> {
    await m.query(prepared(`DELETE FROM reporter_sessions WHERE id = $1`), [sessionId]);
  }
}

export interface NewReporterKey {
  readonly kid: string;
  readonly reporterId: string;
  readonly signPk: string;
  readonly boxPk: string;
  readonly purpose: 'primary' | 'duress';
}

export interface ReporterPublicKeyRow {
  kid: string;
  sign_pk: string;
  box_pk: string;
  purpose: 'primary' | 'duress';
}

export interface ReporterSignInKeyRow {
  reporter_id: string;
  sign_pk: string;
  purpose: 'primary' | 'duress';
}

export interface NewReporterSession {
  readonly id: string;
  readonly tokenDigest: string;
  readonly reporterId: string;
  readonly keyKid: string;
  readonly duress: boolean;
  readonly expiresAt: Date;
}

export interface ReporterSessionRow {
  id: string;
  reporter_id: string;
  duress: boolean;
  created_at: Date;
}

export interface ReporterSigningKeyRow {
  sign_pk: string;
  purpose: 'primary' | 'duress';
}
