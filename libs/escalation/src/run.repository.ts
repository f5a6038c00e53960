import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AlertSeverity, RunState } from '@panah/domain';
import { prepared } from '@panah/db';

/**
 * An `escalation_runs` row as the engine and the commands read it (the entity is libs/db's
 * `EscalationRun`; this is its SQL shape, with the domain's types for severity and state).
 */
export interface RunRow {
  id: string;
  case_id: string;
  policy_id: string;
  policy_version: number;
  severity: AlertSeverity;
  team_id: string | null;
  short_ref: string;
  state: RunState;
  step: number;
  round: number;
  repeats: Record<string, number>;
  fence: number;
  next_step_at: Date | null;
  overdue_at: Date | null;
}

const RUN_COLUMNS = `id, case_id, policy_id, policy_version, severity, team_id, short_ref, state, step, round, repeats, fence, next_step_at, overdue_at`;

/** A case's run as its timeline and its update notifications see it. */
export interface RunSummaryRow {
  readonly id: string;
  readonly state: RunState;
  readonly step: number;
  readonly round: number;
  readonly acknowledged_by: string | null;
  readonly acknowledged_at: Date | null;
}

/** One entry of a run's history as written (ids, kinds and numbers only). */
export interface RunEventWrite {
  readonly kind: string;
  readonly step: number | null;
  readonly round: number | null;
  readonly details: Record<string, number | string | null>;
}

/** One entry of a run's history as the case timeline shows it. */
export interface RunEventRow {
  readonly at: Date;
  readonly kind: string;
  readonly step: number | null;
  readonly round: number | null;
  readonly actor_id: string | null;
}

/** What one advance of a run writes: its new position, its history and its next wake-up. */
export interface RunAdvanceWrite {
  readonly position: {
    readonly state: RunState;
    readonly step: number;
    readonly round: number;
    readonly repeats: Record<string, number>;
    readonly next_step_at: Date | null;
  };
  /** Set when the advance passed a deadline. */
  readonly overdueAt: Date | null;
  readonly events: readonly RunEventWrite[];
  /** The next wake-up's outbox row (payload as JSON text), or nulls when the run is done. */
  readonly wakeUp: {
    readonly job_name: string | null;
    readonly payload: string | null;
    readonly job_id: string | null;
    readonly not_before: Date | null;
  };
}

/** A run whose wake-up the sweeper may have to replace. */
export interface SweptRunRow {
  readonly id: string;
  readonly fence: number;
  readonly step: number;
  readonly round: number;
  readonly sweeps: number;
}

/**
 * Owner of `escalation_runs`, `escalation_run_events` and `escalation_ack_links` (issue 14): every
 * statement on a run, its history and its acknowledgement links, with the caller's transaction.
 * The engine decides; this writes what it decided, one round trip per advance.
 */
@Injectable()
export class RunRepository {
  /** The run, locked (FOR UPDATE), or null. */
  async lockById(m: EntityManager, runId: string): Promise<RunRow | null> {
    const rows = (await m.query(
      prepared(`SELECT ${RUN_COLUMNS} FROM escalation_runs WHERE id = $1 FOR UPDATE`),
      [runId],
    )) as RunRow[];
    return rows[0] ?? null;
  }

  /** The run without a lock, or null. */
  async byId(m: EntityManager, runId: string): Promise<RunRow | null> {
    const rows = (await m.query(`SELECT ${RUN_COLUMNS} FROM escalation_runs WHERE id = $1`, [
      runId,
    ])) as RunRow[];
    return rows[0] ?? null;
  }

  /** The case's run, locked, or null (a case has at most one). */
  async lockForCase(m: EntityManager, caseId: string): Promise<RunRow | null> {
    const rows = (await m.query(
      prepared(`SELECT ${RUN_COLUMNS} FROM escalation_runs WHERE case_id = $1 FOR UPDATE`),
      [caseId],
    )) as RunRow[];
    return rows[0] ?? null;
  }

  /** The id of the case's run, or null. */
  async idForCase(m: EntityManager, caseId: string): Promise<string | null> {
    const rows = (await m.query(`SELECT id FROM escalation_runs WHERE case_id = $1`, [caseId])) as {
      id: string;
    }[];
    return rows[0]?.id ?? null;
  }

  /** The case's run, who acknowledged it and when, or null. */
  async summaryForCase(m: EntityManager, caseId: string): Promise<RunSummaryRow | null> {
    const rows = (await m.query(
      `SELECT id, state, step, round, acknowledged_by, acknowledged_at FROM escalation_runs WHERE case_id = $1`,
      [caseId],
    )) as RunSummaryRow[];
    return rows[0] ?? null;
  }

  /**
   * Writes new runs where their first advance left them, with their history ('started', then
   * what the advance recorded) and their next wake-ups, in one round trip however many runs. A
   * case that has a run already keeps it (ON CONFLICT on the case). Returns the ids written.
   */
  async insertStarted(
    m: EntityManager,
    starts: readonly { run: RunRow; advance: RunAdvanceWrite }[],
  ): Promise<Set<string>> {
    if (starts.length === 0) return new Set();
    const input = starts.map(({ run, advance: a }, ord) => ({
      ord,
      id: run.id,
      case_id: run.case_id,
      policy_id: run.policy_id,
      policy_version: run.policy_version,
      severity: run.severity,
      team_id: run.team_id,
      short_ref: run.short_ref,
      ...a.position,
      overdue_at: a.overdueAt,
      events: [
        {
          kind: 'started',
          step: null,
          round: null,
          details: { severity: run.severity, policyVersion: run.policy_version },
        },
        ...a.events,
      ],
      ...a.wakeUp,
    }));
    const rows = (await m.query(
      prepared(`WITH input AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(ord int, id uuid, case_id uuid, policy_id uuid, policy_version int, severity text, team_id uuid, short_ref text,
                                                          state text, step int, round int, repeats jsonb, next_step_at timestamptz, overdue_at timestamptz, events jsonb,
                                                          job_name text, payload text, job_id text, not_before timestamptz)
       ), runs AS (
         INSERT INTO escalation_runs (id, case_id, policy_id, policy_version, severity, team_id, short_ref, state, step, round, repeats, fence, next_step_at, overdue_at)
         SELECT id, case_id, policy_id, policy_version, severity, team_id, short_ref, state, step, round, repeats, 0, next_step_at, overdue_at FROM input ORDER BY ord
         ON CONFLICT (case_id) DO NOTHING RETURNING id
       ), recorded AS (
         INSERT INTO escalation_run_events (run_id, kind, step, round, details)
         SELECT i.id, e.kind, e.step, e.round, e.details
           FROM input i JOIN runs USING (id) CROSS JOIN LATERAL jsonb_array_elements(i.events) WITH ORDINALITY AS ev(value, ord)
           CROSS JOIN LATERAL jsonb_to_record(ev.value) AS e(kind text, step int, round int, details jsonb)
          ORDER BY i.ord, ev.ord
       ), announced AS (
         INSERT INTO outbox (job_name, payload, job_id, not_before)
         SELECT i.job_name, i.payload::jsonb, i.job_id, i.not_before FROM input i JOIN runs USING (id) WHERE i.job_name IS NOT NULL ORDER BY i.ord RETURNING id
       )
       SELECT id FROM runs`),
      [JSON.stringify(input)],
    )) as { id: string }[];
    return new Set(rows.map((r) => r.id));
  }

  /** An advance of an existing run: its new position, its history and the next wake-up in one round trip. */
  async writeAdvance(m: EntityManager, run: RunRow, a: RunAdvanceWrite): Promise<void> {
    await m.query(
      prepared(`WITH moved AS (
         UPDATE escalation_runs SET state = $2, step = $3, round = $4, repeats = $5, fence = $6, next_step_at = $7,
                severity = $8, policy_id = $9, policy_version = $10, team_id = $11, overdue_at = coalesce($12, overdue_at), updated_at = now()
          WHERE id = $1 RETURNING id
       ), recorded AS (
         INSERT INTO escalation_run_events (run_id, kind, step, round, details)
         SELECT moved.id, e.kind, e.step, e.round, e.details
           FROM moved CROSS JOIN LATERAL jsonb_array_elements($13::jsonb) WITH ORDINALITY AS ev(value, ord)
           CROSS JOIN LATERAL jsonb_to_record(ev.value) AS e(kind text, step int, round int, details jsonb)
          ORDER BY ev.ord
       )
       INSERT INTO outbox (job_name, payload, job_id, not_before) SELECT $14, $15::jsonb, $16, $17::timestamptz FROM moved WHERE $14::text IS NOT NULL`),
      [
        run.id,
        a.position.state,
        a.position.step,
        a.position.round,
        JSON.stringify(a.position.repeats),
        run.fence,
        a.position.next_step_at,
        run.severity,
        run.policy_id,
        run.policy_version,
        run.team_id,
        a.overdueAt,
        JSON.stringify(a.events),
        a.wakeUp.job_name,
        a.wakeUp.payload,
        a.wakeUp.job_id,
        a.wakeUp.not_before,
      ],
    );
  }

  /** The run ends with its case (nothing pending; earlier wake-ups are fenced off). */
  async resolveWithCase(m: EntityManager, runId: string, at: Date): Promise<void> {
    await m.query(
      prepared(
        `UPDATE escalation_runs SET state = 'resolved', resolved_at = $2, next_step_at = NULL, fence = fence + 1, updated_at = now() WHERE id = $1`,
      ),
      [runId, at],
    );
  }

  /** Moves the run to a position (a restart after an acknowledgement was taken back). */
  async reposition(
    m: EntityManager,
    runId: string,
    p: {
      state: RunState;
      step: number;
      round: number;
      repeats: Record<string, number>;
      fence: number;
      nextStepAt: Date | null;
    },
  ): Promise<void> {
    await m.query(
      prepared(
        `UPDATE escalation_runs SET state = $2, step = $3, round = $4, repeats = $5, fence = $6, next_step_at = $7, updated_at = now() WHERE id = $1`,
      ),
      [runId, p.state, p.step, p.round, JSON.stringify(p.repeats), p.fence, p.nextStepAt],
    );
  }

  async setAcknowledged(m: EntityManager, runId: string, at: Date, by: string): Promise<void> {
    await m.query(`UPDATE escalation_runs SET acknowledged_at = $2, acknowledged_by = $3 WHERE id = $1`, [
      runId,
      at,
      by,
    ]);
  }

  async clearAcknowledgement(m: EntityManager, runId: string): Promise<void> {
    await m.query(
      prepared(`UPDATE escalation_runs SET acknowledged_by = NULL, acknowledged_at = NULL WHERE id = $1`),
      [runId],
    );
  }

  /** A resolved run its case was reopened for: no acknowledgement, not resolved (the caller repositions it). */
  async clearForReopen(m: EntityManager, runId: string): Promise<void> {
    await m.query(
      prepared(
        `UPDATE escalation_runs SET acknowledged_by = NULL, acknowledged_at = NULL, resolved_at = NULL WHERE id = $1`,
      ),
      [runId],
    );
  }

  /**
   * The engine has handled the case's signal of this version (CaseEventSweepRepository compares it
   * with the case's signal_version to find a lost one).
   */
  async markSignalHandled(m: EntityManager, caseId: string, version: number): Promise<void> {
    await m.query(
      prepared(
        `UPDATE escalation_runs SET signal_version = greatest(coalesce(signal_version, 0), $2) WHERE case_id = $1`,
      ),
      [caseId, version],
    );
  }

  async setResolvedAt(m: EntityManager, runId: string, at: Date): Promise<void> {
    await m.query(`UPDATE escalation_runs SET resolved_at = $2 WHERE id = $1`, [runId, at]);
  }

  /** A command's new state, fencing token and pending wake-up time. */
  async setState(
    m: EntityManager,
    runId: string,
    state: RunState,
    fence: number,
    nextStepAt: Date | null,
  ): Promise<void> {
    await m.query(
      `UPDATE escalation_runs SET state = $2, fence = $3, next_step_at = $4, updated_at = now() WHERE id = $1`,
      [runId, state, fence, nextStepAt],
    );
  }

  /** Appends to a run's history (ids, kinds and numbers only). */
  async recordEvent(
    m: EntityManager,
    runId: string,
    kind: string,
    fields: {
      step?: number;
      round?: number;
      actorId?: string | null;
      details?: Record<string, number | string | null>;
    } = {},
  ): Promise<void> {
    await m.query(
      prepared(
        `INSERT INTO escalation_run_events (run_id, kind, step, round, actor_id, details) VALUES ($1, $2, $3, $4, $5, $6)`,
      ),
      [
        runId,
        kind,
        fields.step ?? null,
        fields.round ?? null,
        fields.actorId ?? null,
        JSON.stringify(fields.details ?? {}),
      ],
    );
  }

  /** The run's history as the case timeline shows it, oldest first. */
  async timelineEvents(m: EntityManager, runId: string): Promise<RunEventRow[]> {
    return (await m.query(
      `SELECT at, kind, step, round, actor_id FROM escalation_run_events WHERE run_id = $1 ORDER BY id LIMIT 2000`,
      [runId],
    )) as RunEventRow[];
  }

  /** The run's history with each entry's details (the supervisor's view), oldest first. */
  async eventsWithDetails(m: EntityManager, runId: string): Promise<RunEventDetailRow[]> {
    return (await m.query(
      `SELECT id, at, kind, step, round, actor_id AS "actorId", details FROM escalation_run_events WHERE run_id = $1 ORDER BY id LIMIT 2000`,
      [runId],
    )) as RunEventDetailRow[];
  }

  /** The run and recipient an acknowledgement link (by its token's digest) was sent for, or null. */
  async linkByDigest(
    m: EntityManager,
    digest: string,
  ): Promise<{ run_id: string; recipient_id: string } | null> {
    const rows = (await m.query(
      `SELECT run_id, recipient_id FROM escalation_ack_links WHERE token_digest = $1`,
      [digest],
    )) as { run_id: string; recipient_id: string }[];
    return rows[0] ?? null;
  }

  /** Was the person alerted for this run (do they hold one of its acknowledgement links)? */
  async wasAlerted(m: EntityManager, runId: string, staffId: string): Promise<boolean> {
    const rows = (await m.query(
      `SELECT 1 FROM escalation_ack_links WHERE run_id = $1 AND recipient_id = $2`,
      [runId, staffId],
    )) as unknown[];
    return rows.length > 0;
  }

  /** How many pending runs are more than 5 s past their next step (a watchdog gauge). */
  async overdueCount(m: EntityManager): Promise<number> {
    const rows = (await m.query(
      `SELECT count(*)::int AS n FROM escalation_runs WHERE state IN ('active', 'snoozed', 'acknowledged') AND next_step_at < now() - interval '5 seconds'`,
    )) as { n: number }[];
    return rows[0].n;
  }

  /** Pending runs more than `graceMs` past due and not swept within that time, most overdue first. */
  async sweepCandidates(m: EntityManager, graceMs: number): Promise<SweptRunRow[]> {
    return (await m.query(
      `SELECT id, fence, step, round, sweeps FROM escalation_runs
        WHERE state IN ('active', 'snoozed', 'acknowledged') AND next_step_at < now() - make_interval(secs => $1::float / 1000)
          AND (swept_at IS NULL OR swept_at < now() - make_interval(secs => $1::float / 1000))
        ORDER BY next_step_at LIMIT 2000`,
      [graceMs],
    )) as SweptRunRow[];
  }

  /**
   * Claims runs for a sweep (another worker's sweeper may look at the same rows): those still
   * pending and past due, not swept within `graceMs`, with their sweep counted.
   */
  async claimForSweep(m: EntityManager, runIds: readonly string[], graceMs: number): Promise<SweptRunRow[]> {
    const [claimed] = (await m.query(
      `UPDATE escalation_runs r SET swept_at = now(), sweeps = r.sweeps + 1
        WHERE r.id = ANY($1::uuid[]) AND (r.swept_at IS NULL OR r.swept_at < now() - make_interval(secs => $2::float / 1000))
          AND r.state IN ('active', 'snoozed', 'acknowledged') AND r.next_step_at < now()
        RETURNING r.id, r.fence, r.step, r.round, r.sweeps`,
      [runIds, graceMs],
    )) as [SweptRunRow[], number];
    return claimed;
  }
}

/** One entry of a run's history with its details (ids, kinds and numbers), as the API returns it. */
export interface RunEventDetailRow {
  readonly id: string;
  readonly at: Date;
  readonly kind: string;
  readonly step: number | null;
  readonly round: number | null;
  readonly actorId: string | null;
  readonly details: Record<string, unknown>;
}
