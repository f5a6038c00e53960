import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { prepared } from '@panah/db';

/** What happened, as written on the case's safety timeline (times and kinds only). */
export type SafetyEventKind =
  'missed_checkin' | 'checked_in_after_alert' | 'panic' | 'duress_signin' | 'duress_checkin';

/** A `case_safety_events` row as the check-in history shows it. */
export interface SafetyEventRow {
  kind: SafetyEventKind;
  occurred_at: Date;
}

/** The `case_safety_events` table (libs/checkins): what each safety signal did to a case. */
@Injectable()
export class SafetyEventRepository {
  async record(m: EntityManager, caseId: string, kind: SafetyEventKind, at: Date): Promise<void> {
    await m.query(
      prepared(`INSERT INTO case_safety_events (case_id, kind, occurred_at) VALUES ($1, $2, $3)`),
      [caseId, kind, at],
    );
  }

  /** The case's latest events, newest first. */
  latestForCase(m: EntityManager, caseId: string, limit: number): Promise<SafetyEventRow[]> {
    return m.query<SafetyEventRow[]>(
      `SELECT kind, occurred_at FROM case_safety_events WHERE case_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT $2`,
      [caseId, limit],
    );
  }
}
