import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * The duress tables (libs/checkins): `duress_alerts` (one per duress session whose case was
 * raised) and `reporter_duress_settings` (what a duress session may see).
 */
@Injectable()
export class DuressRepository {
  async alreadyRaised(m: EntityManager, sessionId: string): Promise<boolean> {
    const rows = await m.query<unknown[]>(`SELECT 1 FROM duress_alerts WHERE session_id = $1`, [sessionId]);
    return rows.length > 0;
  }

  /** Those of `sessionIds` whose case was raised already. */
  async raisedAmong(m: EntityManager, sessionIds: readonly string[]): Promise<string[]> {
    const rows = await m.query<{ session_id: string }[]>(
      `SELECT session_id FROM duress_alerts WHERE session_id = ANY($1::uuid[])`,
      [sessionIds],
    );
    return rows.map((r) => r.session_id);
  }

  async recordAlert(m: EntityManager, sessionId: string, reporterId: string, caseId: string): Promise<void> {
    await m.query(`INSERT INTO duress_alerts (session_id, reporter_id, case_id) VALUES ($1, $2, $3)`, [
      sessionId,
      reporterId,
      caseId,
    ]);
  }

  /** Whether the reporter chose, at registration, to let a duress session see their real reports. */
  async showsReports(m: EntityManager, reporterId: string): Promise<boolean> {
    const rows = await m.query<{ show_reports: boolean }[]>(
      `SELECT show_reports FROM reporter_duress_settings WHERE reporter_id = $1`,
      [reporterId],
    );
    return rows[0]?.show_reports === true;
  }

  async saveShowsReports(m: EntityManager, reporterId: string, showReports: boolean): Promise<void> {
    await m.query(
      `INSERT INTO reporter_duress_settings (reporter_id, show_reports) VALUES ($1, $2) ON CONFLICT (reporter_id) DO UPDATE SET show_reports = EXCLUDED.show_reports`,
      [reporterId, showReports],
    );
  }
}
