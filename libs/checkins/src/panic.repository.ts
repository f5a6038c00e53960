import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A panic press as a retry of it sees it (by the client-chosen id). */
export interface PanicPressRow {
  reporter_id: string;
  pressed_at: Date;
}

/** A reporter's last press: when, and the case it raised (or that a repeat press joined). */
export interface LastPanicRow {
  pressed_at: Date;
  case_id: string | null;
}

/** The `panic_events` table (libs/checkins): every press, repeats included. */
@Injectable()
export class PanicRepository {
  async find(m: EntityManager, id: string): Promise<PanicPressRow | null> {
    const rows = await m.query<PanicPressRow[]>(
      `SELECT reporter_id, pressed_at FROM panic_events WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async latestForReporter(m: EntityManager, reporterId: string): Promise<LastPanicRow | null> {
    const rows = await m.query<LastPanicRow[]>(
      `SELECT pressed_at, case_id FROM panic_events WHERE reporter_id = $1 ORDER BY pressed_at DESC LIMIT 1`,
      [reporterId],
    );
    return rows[0] ?? null;
  }

  async insert(
    m: EntityManager,
    p: { id: string; reporterId: string; at: Date; repeat: boolean; caseId: string | null },
  ): Promise<void> {
    await m.query(
      `INSERT INTO panic_events (id, reporter_id, pressed_at, repeat, case_id) VALUES ($1, $2, $3, $4, $5)`,
      [p.id, p.reporterId, p.at, p.repeat, p.caseId],
    );
  }
}
