import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CaseReason, CaseSignalKind, CaseState, Severity } from '@panah/domain';
import { caseUpdatedJobId, JobName, outboxRowValues } from '@panah/queue';
import { prepared } from '@panah/db';

/** A `cases` row as PostgreSQL returns it (the entity is libs/db's `Case`; this is its SQL shape). */
export interface CaseRow {
  id: string;
  reporter_id: string;
  state: CaseState;
  severity: Severity;
  team_id: string | null;
  assignee_id: string | null;
  policy_id: string | null;
  deadline_at: Date;
  reasons: CaseReason[];
  triage: Record<string, unknown> | null;
  version: number;
  opened_at: Date;
  updated_at: Date;
  resolved_at: Date | null;
}

/** An unresolved case as a new signal sees it (lockOpenForReporters). */
export type OpenCaseRow = Pick<
  CaseRow,
  | 'id'
  | 'reporter_id'
  | 'severity'
  | 'team_id'
  | 'policy_id'
  | 'deadline_at'
  | 'reasons'
  | 'version'
  | 'state'
>;

/** What the escalation engine needs of a case it starts or updates an escalation for (lockByIds). */
export type EscalatedCaseRow = Pick<CaseRow, 'id' | 'severity' | 'team_id' | 'policy_id' | 'state'>;

/** Who may see a case (routing only, never contents). */
export type CaseAccessRow = Pick<CaseRow, 'id' | 'reporter_id' | 'team_id' | 'assignee_id' | 'state'>;

/** One line of a staff member's case list. */
export type CaseListRow = Pick<
  CaseRow,
  | 'id'
  | 'state'
  | 'severity'
  | 'team_id'
  | 'assignee_id'
  | 'policy_id'
  | 'deadline_at'
  | 'reasons'
  | 'opened_at'
>;

/** A case written by a batch of signals: a new row ('open'), a raised one ('raise') or a resolved one reopened ('reopen'). */
export interface SignalWrite {
  readonly write: 'open' | 'raise' | 'reopen';
  readonly id: string;
  readonly reporterId: string;
  readonly severity: Severity;
  readonly teamId: string | null;
  readonly policyId: string | null;
  readonly deadlineAt: Date;
  readonly reasons: readonly CaseReason[];
  readonly triage: Record<string, string | number | null> | null;
  readonly version: number;
  /** The signal a raise or reopen records with its version (the sweeper's trace of its case.updated). */
  readonly signal: CaseSignalKind | null;
  /** The case.opened / case.updated outbox row that announces the write. */
  readonly announce: [jobName: string, payload: string, jobId: string | null, notBefore: Date | null];
}

export interface CaseListFilter {
  readonly state?: CaseState;
  readonly severity?: Severity;
  readonly teamId?: string;
  /** Only cases with this reason code among their reasons. */
  readonly reason?: string;
  /** Only cases assigned to this staff member. */
  readonly assigneeId?: string;
  /** Only cases due before this time. */
  readonly deadlineBefore?: Date;
  /** Last case id of the previous page. */
  readonly cursor?: string;
  readonly limit: number;
}

/** The outcome of a state change: the case's new version, or null when nothing changed. */
export interface CaseChange {
  readonly caseId: string;
  readonly version: number;
}

/**
 * The `cases` table's only door (issue 14): every statement that reads or writes a case is a
 * method here, with the caller's transaction passed in. Every change of a stored case bumps its
 * version and writes `case.updated` to the outbox in the same statement, so the escalation engine
 * hears of each change exactly once (job id from case and version).
 */
@Injectable()
export class CaseRepository {
  /**
   * The reporters' unresolved cases, locked in id order (the caller holds the reporters' locks:
   * see CaseService.lockReporters). NO KEY UPDATE: serialises signals without blocking the
   * foreign-key checks of rows that reference the case.
   */
  async lockOpenForReporters(m: EntityManager, reporterIds: readonly string[]): Promise<OpenCaseRow[]> {
    return (await m.query(
      prepared(`SELECT id, reporter_id, severity, team_id, policy_id, deadline_at, reasons, version, state FROM cases
        WHERE reporter_id = ANY($1::text[]) AND state <> 'resolved' ORDER BY id FOR NO KEY UPDATE`),
      [reporterIds],
    )) as OpenCaseRow[];
  }

  /**
   * The latest resolved case of each of these reporters, locked (the caller holds the reporters'
   * locks and found no unresolved case): what a critical signal reopens.
   */
  async lockLatestResolvedForReporters(
    m: EntityManager,
    reporterIds: readonly string[],
  ): Promise<OpenCaseRow[]> {
    if (reporterIds.length === 0) return [];
    return (await m.query(
      prepared(`SELECT id, reporter_id, severity, team_id, policy_id, deadline_at, reasons, version, state FROM cases WHERE id IN (
          SELECT DISTINCT ON (reporter_id) id FROM cases WHERE reporter_id = ANY($1::text[]) AND state = 'resolved'
           ORDER BY reporter_id, resolved_at DESC NULLS LAST, id)
        ORDER BY id FOR NO KEY UPDATE`),
      [[...new Set(reporterIds)]],
    )) as OpenCaseRow[];
  }

  /**
   * Writes the cases a batch of signals opened, raised or reopened and their outbox rows in one statement
   * (one round trip however many cases).
   */
  async writeSignals(m: EntityManager, writes: readonly SignalWrite[]): Promise<void> {
    if (writes.length === 0) return;
    const input = writes.map((w) => ({
      write: w.write,
      id: w.id,
      reporter_id: w.reporterId,
      severity: w.severity,
      team_id: w.teamId,
      policy_id: w.policyId,
      deadline_at: w.deadlineAt.toISOString(),
      reasons: w.reasons,
      triage: w.triage,
      version: w.version,
      signal: w.signal,
      job_name: w.announce[0],
      payload: w.announce[1],
      job_id: w.announce[2],
    }));
    await m.query(
      prepared(`WITH input AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(write text, id uuid, reporter_id text, severity text, team_id uuid, policy_id uuid,
                deadline_at timestamptz, reasons text[], triage jsonb, version int, signal text, job_name text, payload text, job_id text)
       ), opened AS (
         INSERT INTO cases (id, reporter_id, severity, team_id, policy_id, deadline_at, reasons, triage, version)
         SELECT id, reporter_id, severity, team_id, policy_id, deadline_at, reasons, triage, version FROM input WHERE write = 'open' RETURNING id
       ), raised AS (
         UPDATE cases c SET severity = i.severity, deadline_at = i.deadline_at, reasons = i.reasons, team_id = i.team_id, policy_id = i.policy_id,
                version = i.version, updated_at = now(),
                signal_kind = coalesce(i.signal, c.signal_kind), signal_version = CASE WHEN i.signal IS NULL THEN c.signal_version ELSE i.version END,
                state = CASE WHEN i.write = 'reopen' THEN 'open' ELSE c.state END,
                unacknowledged_since = CASE WHEN i.write = 'reopen' THEN now() ELSE c.unacknowledged_since END,
                resolved_at = CASE WHEN i.write = 'reopen' THEN NULL ELSE c.resolved_at END
           FROM input i WHERE i.write IN ('raise', 'reopen') AND c.id = i.id RETURNING c.id
       )
       INSERT INTO outbox (job_name, payload, job_id, not_before)
       SELECT i.job_name, i.payload::jsonb, i.job_id, NULL FROM input i WHERE i.id IN (SELECT id FROM opened UNION ALL SELECT id FROM raised)`),
      [JSON.stringify(input)],
    );
  }

  /**
   * Locks cases in id order (the order every transaction that locks several cases uses).
   * Exclusively (not FOR SHARE): a case.opened and a case.updated for the same case must not both
   * find no escalation run and both start one. NO KEY UPDATE still lets rows that reference the
   * case be written.
   */
  async lockByIds(m: EntityManager, caseIds: readonly string[]): Promise<EscalatedCaseRow[]> {
    return (await m.query(
      prepared(
        `SELECT id, severity, team_id, policy_id, state FROM cases WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`,
      ),
      [caseIds],
    )) as EscalatedCaseRow[];
  }

  /** One case, locked, or null. */
  async lockById(m: EntityManager, caseId: string): Promise<EscalatedCaseRow | null> {
    return (await this.lockByIds(m, [caseId]))[0] ?? null;
  }

  /** open → acknowledged; null when the case was not open (already acknowledged or resolved). */
  acknowledge(m: EntityManager, caseId: string): Promise<CaseChange | null> {
    return this.change(m, caseId, `state = 'acknowledged'`, `state = 'open'`, []);
  }

  /** acknowledged → open (a critical signal took the acknowledgement back); null when it was not acknowledged. */
  unacknowledge(m: EntityManager, caseId: string): Promise<CaseChange | null> {
    return this.change(
      m,
      caseId,
      `state = 'open', unacknowledged_since = now()`,
      `state = 'acknowledged'`,
      [],
    );
  }

  /** Anything but resolved → resolved at `at`; null when the case was resolved already. */
  resolve(m: EntityManager, caseId: string, at: Date): Promise<CaseChange | null> {
    return this.change(m, caseId, `state = 'resolved', resolved_at = $3`, `state <> 'resolved'`, [at]);
  }

  /** Assigns an unresolved case to a staff member (or unassigns it with null); null when nothing changed. */
  assign(m: EntityManager, caseId: string, assigneeId: string | null): Promise<CaseChange | null> {
    return this.change(
      m,
      caseId,
      `assignee_id = $3::uuid`,
      `state <> 'resolved' AND assignee_id IS DISTINCT FROM $3::uuid`,
      [assigneeId],
    );
  }

  /**
   * One state change of one case and its case.updated outbox row, in one statement: the version
   * is bumped only if the row changed, and the event carries the new version.
   */
  private async change(
    m: EntityManager,
    caseId: string,
    set: string,
    when: string,
    extra: readonly unknown[],
  ): Promise<CaseChange | null> {
    // The job id and payload are built in SQL from the new version, so they agree with it.
    const rows = (await m.query(
      prepared(`WITH changed AS (
         UPDATE cases SET ${set}, version = version + 1, updated_at = now() WHERE id = $1 AND ${when} RETURNING id, version
       ), announced AS (
         INSERT INTO outbox (job_name, payload, job_id, not_before)
         SELECT $2, jsonb_build_object('caseId', id, 'version', version), 'case-updated-' || id || '-' || version, NULL FROM changed
       )
       SELECT id, version FROM changed`),
      [caseId, JobName.CaseUpdated, ...extra],
    )) as Pick<CaseRow, 'id' | 'version'>[];
    const row = rows[0];
    if (!row) return null;
    // The producer checks its payload (as outboxRowValues does) and the SQL-built job id.
    const [, , jobId] = outboxRowValues(
      JobName.CaseUpdated,
      { caseId: row.id, version: row.version },
      { jobId: caseUpdatedJobId(row.id, row.version) },
    );
    if (jobId !== `case-updated-${row.id}-${row.version}`)
      throw new Error('case.updated job id out of step with caseUpdatedJobId');
    return { caseId: row.id, version: row.version };
  }

  /**
   * For the operators' page (`panah_cases_oldest_unacknowledged_seconds`): per severity, the age in
   * seconds of the oldest case nobody has acknowledged yet (state `open`), counted from when it last
   * became unacknowledged (`unacknowledged_since`: its opening, a reopening, a signal taking the
   * acknowledgement back), not from its first opening; severities without one are absent. Reads the
   * `cases_list_idx` prefix (state).
   */
  async oldestUnacknowledgedAge(m: EntityManager): Promise<{ severity: Severity; age: number }[]> {
    return (await m.query(
      `SELECT severity, EXTRACT(EPOCH FROM now() - min(unacknowledged_since))::float AS age FROM cases WHERE state = 'open' GROUP BY severity`,
    )) as { severity: Severity; age: number }[];
  }

  /** The whole case row (the case view), or null (no lock). */
  async detail(m: EntityManager, caseId: string): Promise<CaseRow | null> {
    const rows = (await m.query(
      prepared(
        `SELECT id, reporter_id, state, severity, team_id, assignee_id, policy_id, deadline_at, reasons, triage, version, opened_at, updated_at, resolved_at FROM cases WHERE id = $1`,
      ),
      [caseId],
    )) as CaseRow[];
    return rows[0] ?? null;
  }

  /** Moves an unresolved case to another team (a hand-over), with its assignee; null when nothing changed. */
  handOver(
    m: EntityManager,
    caseId: string,
    teamId: string,
    assigneeId: string | null,
  ): Promise<CaseChange | null> {
    return this.change(
      m,
      caseId,
      `team_id = $3::uuid, assignee_id = $4::uuid`,
      `state <> 'resolved' AND (team_id IS DISTINCT FROM $3::uuid OR assignee_id IS DISTINCT FROM $4::uuid)`,
      [teamId, assigneeId],
    );
  }

  /** Who may see the case, or null if there is none (no lock). */
  async access(m: EntityManager, caseId: string): Promise<CaseAccessRow | null> {
    const rows = (await m.query(
      prepared(`SELECT id, reporter_id, team_id, assignee_id, state FROM cases WHERE id = $1`),
      [caseId],
    )) as CaseAccessRow[];
    return rows[0] ?? null;
  }

  /** The reporter's unresolved case, else their latest one (where a late check-in is written down). */
  async latestForReporter(m: EntityManager, reporterId: string): Promise<string | null> {
    const rows = (await m.query(
      prepared(
        `SELECT id FROM cases WHERE reporter_id = $1 ORDER BY (state <> 'resolved') DESC, opened_at DESC LIMIT 1`,
      ),
      [reporterId],
    )) as Pick<CaseRow, 'id'>[];
    return rows[0]?.id ?? null;
  }

  /**
   * A staff member's case list: cases of the given teams (and those assigned to `assigneeId`),
   * most urgent deadline first, keyset-paginated on (deadline_at, id) (indexes cases_team_idx,
   * cases_assignee_idx). Returns up to `limit + 1` rows so the caller knows whether a page follows.
   */
  async listForStaff(
    m: EntityManager,
    scope: { teamIds: readonly string[]; assigneeId: string | null },
    f: CaseListFilter,
  ): Promise<CaseListRow[]> {
    return (await m.query(
      `SELECT c.id, c.state, c.severity, c.team_id, c.assignee_id, c.policy_id, c.deadline_at, c.reasons, c.opened_at
         FROM cases c
        WHERE (c.team_id = ANY($1::uuid[]) OR ($7::uuid IS NOT NULL AND c.assignee_id = $7::uuid))
          AND ($2::text IS NULL OR c.state = $2)
          AND ($3::text IS NULL OR c.severity = $3)
          AND ($4::timestamptz IS NULL OR c.deadline_at < $4)
          AND ($5::uuid IS NULL OR (c.deadline_at, c.id) > (SELECT deadline_at, id FROM cases WHERE id = $5::uuid))
          AND ($8::uuid IS NULL OR c.team_id = $8::uuid)
          AND ($9::text IS NULL OR $9 = ANY(c.reasons))
          AND ($10::uuid IS NULL OR c.assignee_id = $10::uuid)
        ORDER BY c.deadline_at, c.id
        LIMIT $6`,
      [
        scope.teamIds,
        f.state ?? null,
        f.severity ?? null,
        f.deadlineBefore ?? null,
        f.cursor ?? null,
        f.limit + 1,
        scope.assigneeId,
        f.teamId ?? null,
        f.reason ?? null,
        f.assigneeId ?? null,
      ],
    )) as CaseListRow[];
  }
}
