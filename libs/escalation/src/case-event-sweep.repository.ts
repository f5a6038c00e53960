import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { prepared } from '@panah/db';

export interface StaleCaseEvent {
  readonly caseId: string;
  readonly version: number;
  /** `opened`: an open case with no run; `updated`: a run behind its case (resolved, or raised). */
  readonly kind: 'opened' | 'updated';
}

/**
 * The durable traces of the case events the escalation engine consumes, read by the sweeper: an
 * open case without a run lost its `case.opened`; a run that is not resolved although its case
 * is, or whose severity is below its case's, lost a `case.updated` (the engine keeps a run at
 * least as severe as its case, or resolved). Both reads go through the partial index of open
 * cases and the index of unresolved runs, so they cost what the open work costs, not the history.
 * (escalation_runs is this library's table; cases is only read.)
 */
@Injectable()
export class CaseEventSweepRepository {
  async stale(m: EntityManager, graceMs: number, limit: number): Promise<StaleCaseEvent[]> {
    const rows = (await m.query(
      prepared(`(SELECT c.id AS "caseId", c.version, 'opened' AS kind FROM cases c
          WHERE c.state <> 'resolved' AND c.opened_at < now() - make_interval(secs => $1::float / 1000)
            AND NOT EXISTS (SELECT 1 FROM escalation_runs r WHERE r.case_id = c.id)
          ORDER BY c.opened_at LIMIT $2)
        UNION ALL
        (SELECT c.id, c.version, 'updated' FROM escalation_runs r JOIN cases c ON c.id = r.case_id
          WHERE r.state <> 'resolved' AND c.updated_at < now() - make_interval(secs => $1::float / 1000)
            AND (c.state = 'resolved'
              OR coalesce(array_position(ARRAY['low', 'medium', 'high', 'critical'], c.severity), 4)
                 > coalesce(array_position(ARRAY['low', 'medium', 'high', 'critical'], r.severity), 4))
          LIMIT $2)`),
      [graceMs, limit],
    )) as StaleCaseEvent[];
    return rows.map((r) => ({ ...r, version: Number(r.version) }));
  }
}
