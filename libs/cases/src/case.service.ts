import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CaseReason, CaseState, openCaseChange, raiseCaseChange, Severity } from '@panah/domain';
import { caseOpenedJobId, caseUpdatedJobId, JobName, outboxRowValues } from '@panah/queue';
import { prepared } from '@panah/db';

export interface CaseSignal {
  readonly reporterId: string;
  readonly severity: Severity;
  /** Team for a new case; an open case keeps its team unless it had none. */
  readonly teamId: string | null;
  readonly policyId: string | null;
  readonly deadlineAt: Date;
  readonly reason: CaseReason;
  /** Another signal from this reporter arrived within the repeat window: raise one level. */
  readonly repeat: boolean;
  /** How the decision was made (rule set version, rule, routing), stored for the record. */
  readonly triage?: Record<string, string | number | null>;
}

export interface CaseOutcome {
  readonly caseId: string;
  readonly opened: boolean;
  readonly severity: Severity;
  readonly teamId: string | null;
  readonly version: number;
}

interface OpenCaseRow {
  id: string;
  severity: Severity;
  team_id: string | null;
  policy_id: string | null;
  deadline_at: Date;
  reasons: CaseReason[];
  version: number;
  state: CaseState;
}

/**
 * The one way anything opens or raises a reporter's case: triage, missed check-ins, panic signals
 * and duress sign-ins all call `openOrRaise` inside their own transaction. It serialises on the
 * reporter, keeps at most one unresolved case per reporter (also a unique index), never lowers
 * severity or postpones a deadline, and writes `case.opened` / `case.updated` to the outbox in
 * the same transaction for the escalation engine.
 */
@Injectable()
export class CaseService {
  async openOrRaise(manager: EntityManager, signal: CaseSignal): Promise<CaseOutcome> {
    // Two signals from one reporter at once must not open two cases.
    await manager.query(prepared(`SELECT id FROM reporters WHERE id = $1 FOR UPDATE`), [signal.reporterId]);
    const open = (await manager.query(
      prepared(`SELECT id, severity, team_id, policy_id, deadline_at, reasons, version, state FROM cases
        WHERE reporter_id = $1 AND state <> 'resolved' FOR UPDATE`),
      [signal.reporterId],
    )) as OpenCaseRow[];
    const demand = { severity: signal.severity, deadlineAt: signal.deadlineAt, reason: signal.reason, repeat: signal.repeat };
    const current = open[0];
    if (!current) {
      const change = openCaseChange(demand);
      const id = randomUUID();
      // The case and its case.opened outbox row in one statement (one round trip).
      await manager.query(
        prepared(`WITH opened AS (
           INSERT INTO cases (id, reporter_id, severity, team_id, policy_id, deadline_at, reasons, triage) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id
         )
         INSERT INTO outbox (job_name, payload, job_id, not_before) SELECT $9, $10::jsonb, $11, $12::timestamptz FROM opened`),
        [
          id,
          signal.reporterId,
          change.severity,
          signal.teamId,
          signal.policyId,
          change.deadlineAt,
          change.reasons,
          signal.triage ? JSON.stringify(signal.triage) : null,
          ...outboxRowValues(JobName.CaseOpened, { caseId: id }, { jobId: caseOpenedJobId(id) }),
        ],
      );
      return { caseId: id, opened: true, severity: change.severity, teamId: signal.teamId, version: 1 };
    }
    const change = raiseCaseChange({ severity: current.severity, deadlineAt: current.deadline_at, reasons: current.reasons }, demand);
    const teamId = current.team_id ?? signal.teamId;
    const policyId = current.policy_id ?? signal.policyId;
    const version = current.version + 1;
    await manager.query(
      prepared(`WITH raised AS (
         UPDATE cases SET severity = $2, deadline_at = $3, reasons = $4, team_id = $5, policy_id = $6, version = $7, updated_at = now() WHERE id = $1 RETURNING id
       )
       INSERT INTO outbox (job_name, payload, job_id, not_before) SELECT $8, $9::jsonb, $10, $11::timestamptz FROM raised`),
      [
        current.id,
        change.severity,
        change.deadlineAt,
        change.reasons,
        teamId,
        policyId,
        version,
        ...outboxRowValues(JobName.CaseUpdated, { caseId: current.id, version }, { jobId: caseUpdatedJobId(current.id, version) }),
      ],
    );
    return { caseId: current.id, opened: false, severity: change.severity, teamId, version };
  }
}
