import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export type CaseEventKind = 'assigned' | 'handed_over';

export interface CaseEventRow {
  readonly kind: CaseEventKind;
  readonly actorId: string | null;
  readonly details: Record<string, unknown>;
  readonly at: Date;
}

/** Owner of `case_events`: assignments and hand-overs, ids only. */
@Injectable()
export class CaseEventRepository {
  async append(
    m: EntityManager,
    caseId: string,
    kind: CaseEventKind,
    actorId: string | null,
    details: Record<string, string | null>,
  ): Promise<void> {
    await m.query(
      `INSERT INTO case_events (case_id, kind, actor_id, details) VALUES ($1, $2, $3, $4::jsonb)`,
      [caseId, kind, actorId, JSON.stringify(details)],
    );
  }

  async forCase(m: EntityManager, caseId: string): Promise<CaseEventRow[]> {
    const rows = (await m.query(
      `SELECT kind, actor_id, details, at FROM case_events WHERE case_id = $1 ORDER BY at, id`,
      [caseId],
    )) as {
      kind: CaseEventKind;
      actor_id: string | null;
      details: Record<string, unknown>;
      at: Date;
    }[];
    return rows.map((r) => ({ kind: r.kind, actorId: r.actor_id, details: r.details, at: r.at }));
  }
}
