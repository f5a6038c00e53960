import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A check-in as its reporter's retry sees it (by the client-chosen id). */
export interface CheckinOwnerRow {
  reporter_id: string;
  checked_in_at: Date;
}

/** One line of a reporter's check-in history: times and outcomes, never the note itself. */
export interface CheckinHistoryRow {
  id: string;
  checked_in_at: Date;
  /** on_time, late, after_alert, recorded or duress. */
  outcome: string;
  has_note: boolean;
}

export interface NewCheckin {
  readonly id: string;
  readonly reporterId: string;
  readonly at: Date;
  /** The deadline the check-in answered, if the reporter has a plan. */
  readonly deadline: Date | null;
  readonly outcome: string;
  /** The encrypted `checkin` envelope, if the reporter wrote a note. */
  readonly envelope: unknown;
}

/** The `checkins` table (libs/checkins): signed check-ins, idempotent on their id. */
@Injectable()
export class CheckinRepository {
  async find(m: EntityManager, id: string): Promise<CheckinOwnerRow | null> {
    const rows = await m.query<CheckinOwnerRow[]>(
      `SELECT reporter_id, checked_in_at FROM checkins WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async insert(m: EntityManager, c: NewCheckin): Promise<void> {
    await m.query(
      `INSERT INTO checkins (id, reporter_id, checked_in_at, deadline, outcome, envelope) VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        c.id,
        c.reporterId,
        c.at,
        c.deadline,
        c.outcome,
        c.envelope === null ? null : JSON.stringify(c.envelope),
      ],
    );
  }

  /** Newest first, keyset-paged on (checked_in_at, id): up to `limit` check-ins before `after`. */
  pageForReporter(
    m: EntityManager,
    reporterId: string,
    after: { at: string; id: string } | null,
    limit: number,
  ): Promise<CheckinHistoryRow[]> {
    return m.query<CheckinHistoryRow[]>(
      `SELECT id, checked_in_at, outcome, envelope IS NOT NULL AS has_note FROM checkins
        WHERE reporter_id = $1 AND ($2::timestamptz IS NULL OR (checked_in_at, id) < ($2::timestamptz, $3::uuid))
        ORDER BY checked_in_at DESC, id DESC LIMIT $4`,
      [reporterId, after?.at ?? null, after?.id ?? null, limit],
    );
  }
}
