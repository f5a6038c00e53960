import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { prepared } from '@panah/db';

/** A reminder in the reporter's inbox. */
export interface ReminderRow {
  deadline: Date;
  remind_at: Date;
}

/** The `checkin_reminders` table (libs/checkins): the reporter's reminder inbox. */
@Injectable()
export class ReminderRepository {
  /** Once per plan and moment: a second delivery of the same reminder writes nothing. */
  async insert(
    m: EntityManager,
    r: { reporterId: string; planId: string; deadline: Date; remindAt: Date },
  ): Promise<void> {
    await m.query(
      prepared(
        `INSERT INTO checkin_reminders (reporter_id, plan_id, deadline, remind_at) VALUES ($1, $2, $3, $4) ON CONFLICT (plan_id, remind_at) DO NOTHING`,
      ),
      [r.reporterId, r.planId, r.deadline, r.remindAt],
    );
  }

  /** Newest first. */
  listForReporter(m: EntityManager, reporterId: string, limit: number): Promise<ReminderRow[]> {
    return m.query<ReminderRow[]>(
      `SELECT deadline, remind_at FROM checkin_reminders WHERE reporter_id = $1 ORDER BY remind_at DESC, id DESC LIMIT $2`,
      [reporterId, limit],
    );
  }
}
