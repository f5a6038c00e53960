import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A check-in event on a case's timeline: its time and kind, never its contents. */
export interface SafetyTimelineRow {
  readonly at: Date;
  /** `checkin` (an on-time check-in), or a case_safety_events kind (`missed_checkin`, `checked_in_after_alert`, `panic`, `duress_signin`, `duress_checkin`). */
  readonly kind: string;
}

/** What case work reads of the check-in tables (`checkins`, `case_safety_events`), times only. */
@Injectable()
export class SafetyTimelineRepository {
  /** The case's safety events, and the reporter's check-ins since `since` (the case's opening), oldest first. */
  async forCase(
    m: EntityManager,
    caseId: string,
    reporterId: string,
    since: Date,
  ): Promise<SafetyTimelineRow[]> {
    return m.query<SafetyTimelineRow[]>(
      `SELECT occurred_at AS at, kind FROM case_safety_events WHERE case_id = $1
       UNION ALL
       SELECT checked_in_at AS at, 'checkin' AS kind FROM checkins WHERE reporter_id = $2 AND checked_in_at >= $3
       ORDER BY at LIMIT 1000`,
      [caseId, reporterId, since],
    );
  }
}
