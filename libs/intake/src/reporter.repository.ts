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
