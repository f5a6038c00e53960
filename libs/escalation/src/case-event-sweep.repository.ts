import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { prepared } from '@panah/db';
import { CASE_SIGNALS, type CaseSignalKind } from '@panah/domain';

export interface StaleCaseEvent {
  readonly caseId: string;
  readonly version: number;
  /**
   * `opened`: an open case with no run; `updated`: a run behind its case (resolved, or raised);
   * `signal`: a signal the run has not handled (the case's signal_version is ahead of the run's).
   */
  readonly kind: 'opened' | 'updated' | 'signal';
  /** For `signal`: which one (the re-announced case.updated carries it, as the original did). */
  readonly signal: CaseSignalKind | null;
}

/**
 * The durable traces of the case events the escalation engine consumes, read by the sweeper: an
 * open case without a run lost its `case.opened`; a run that is not resolved although its case
 * is, or whose severity is below its case's, lost a `case.updated` (the engine keeps a run at
 * least as severe as its case, or resolved); an unresolved case whose last signal (raise or
 * reopen, written with the case in the signal's transaction) is newer than the last one its run
 * handled lost that signal's `case.updated` — even when it changed nothing the other two checks
 * see (a panic on a case that is critical and acknowledged already). The reads go through the partial index of open
 * cases and the index of unresolved runs, so they cost what the open work costs, not the history.
 * (escalation_runs is this library's table; cases is only read.)
 */
@Injectable()
export class CaseEventSweepRepository {
  async stale(m: EntityManager, graceMs: number, limit: number): Promise<StaleCaseEvent[]> {
    const rows = (await m.query(
      prepared(`(SELECT c.id AS "caseId", c.version, 'opened' AS kind, NULL AS signal FROM cases c
          WHERE c.state <> 'resolved' AND c.opened_at < now() - make_interval(secs => $1::float / 1000)
            AND NOT EXISTS (SELECT 1 FROM escalation_runs r WHERE r.case_id = c.id)
          ORDER BY c.opened_at LIMIT $2)
        UNION ALL
        (SELECT c.id, c.version, 'updated', NULL FROM escalation_runs r JOIN cases c ON c.id = r.case_id
          WHERE r.state <> 'resolved' AND c.updated_at < now() - make_interval(secs => $1::float / 1000)
            AND (c.state = 'resolved'
              OR coalesce(array_position(ARRAY['low', 'medium', 'high', 'critical'], c.severity), 4)
                 > coalesce(array_position(ARRAY['low', 'medium', 'high', 'critical'], r.severity), 4))
          LIMIT $2)
        UNION ALL
        (SELECT c.id, c.signal_version, 'signal', c.signal_kind FROM cases c JOIN escalation_runs r ON r.case_id = c.id
          WHERE c.state <> 'resolved' AND c.signal_version > coalesce(r.signal_version, 0)
            AND c.updated_at < now() - make_interval(secs => $1::float / 1000)
          LIMIT $2)`),
      [graceMs, limit],
    )) as StaleCaseEvent[];
    return rows.map((r) => ({
      ...r,
      version: Number(r.version),
      // Redis is not trusted, nor is a stored code the domain does not know: such a row is no signal.
      signal: (CASE_SIGNALS as readonly (string | null)[]).includes(r.signal) ? r.signal : null,
    }));
  }
}
