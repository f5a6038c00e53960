import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  CaseReason,
  type CaseSignalKind,
  openCaseChange,
  type OpenCaseState,
  raiseCaseChange,
  reopenCaseChange,
  Severity,
  signalOfReason,
} from '@panah/domain';
import { ReporterRepository } from '@panah/intake';
import { caseOpenedJobId, caseUpdatedJobId, JobName, outboxRowValues } from '@panah/queue';
import { CaseRepository, type OpenCaseRow, type SignalWrite } from './case.repository';

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

/**
 * The one way anything opens or raises a reporter's case: triage, missed check-ins, panic signals
 * and duress sign-ins all call `openOrRaise` inside their own transaction. It serialises on the
 * reporter, keeps at most one unresolved case per reporter (also a unique index), never lowers
 * severity or postpones a deadline, and writes `case.opened` / `case.updated` to the outbox in
 * the same transaction for the escalation engine.
 */
@Injectable()
export class CaseService {
  constructor(
    private readonly cases: CaseRepository,
    private readonly reporters: ReporterRepository,
  ) {}

  async openOrRaise(manager: EntityManager, signal: CaseSignal): Promise<CaseOutcome> {
    return (await this.openOrRaiseMany(manager, [signal]))[0];
  }

  /**
   * Locks reporters, then their unresolved cases, each in id order, and returns those cases. Two
   * signals from one reporter at once must not open two cases; and every transaction that locks
   * several reporters or cases (a triage batch, a batch of missed check-ins, a batch of escalation
   * starts) takes them in the same order, so that no two of them can deadlock. NO KEY UPDATE:
   * serialises signals without blocking the foreign-key checks of reports being submitted.
   * A transaction that will raise several reporters' cases one by one calls this first.
   */
  async lockReporters(manager: EntityManager, reporterIds: readonly string[]): Promise<OpenCaseRow[]> {
    const ids = [...new Set(reporterIds)].sort();
    if (ids.length === 0) return [];
    await this.reporters.lockForSignals(manager, ids);
    // Read after the locks are held (a new statement, a new snapshot): sees a case just opened.
    return this.cases.lockOpenForReporters(manager, ids);
  }

  /**
   * Several signals in one go (a triage batch), with the outcome each would have had in turn:
   * a second signal from the same reporter raises the case the first one opened. Three round
   * trips whatever the number of signals; each case gets one row write and one outbox event.
   */
  async openOrRaiseMany(manager: EntityManager, signals: readonly CaseSignal[]): Promise<CaseOutcome[]> {
    if (signals.length === 0) return [];
    const open = await this.lockReporters(
      manager,
      signals.map((s) => s.reporterId),
    );
    const drafts = new Map<string, CaseDraft>(open.map((row) => [row.reporter_id, draftOf(row)]));
    // A critical signal from a reporter with no open case reopens their latest resolved one.
    const withoutOpen = signals.filter(
      (s) => !drafts.has(s.reporterId) && openCaseChange(s).severity === 'critical',
    );
    const resolved = new Map<string, OpenCaseRow>(
      (
        await this.cases.lockLatestResolvedForReporters(
          manager,
          withoutOpen.map((s) => s.reporterId),
        )
      ).map((row) => [row.reporter_id, row]),
    );
    const outcomes = signals.map((signal) => {
      const demand = {
        severity: signal.severity,
        deadlineAt: signal.deadlineAt,
        reason: signal.reason,
        repeat: signal.repeat,
      };
      const current = drafts.get(signal.reporterId);
      const closed = current ? undefined : resolved.get(signal.reporterId);
      const reopened = closed && reopenCaseChange(draftOf(closed).state, demand);
      if (closed && reopened) {
        const draft: CaseDraft = {
          ...draftOf(closed),
          state: { severity: reopened.severity, deadlineAt: reopened.deadlineAt, reasons: reopened.reasons },
          version: closed.version + 1,
          write: 'reopen',
          signal: signalOfReason(signal.reason),
        };
        draft.teamId ??= signal.teamId;
        draft.policyId ??= signal.policyId;
        drafts.set(signal.reporterId, draft);
        return {
          caseId: draft.id,
          opened: false,
          severity: reopened.severity,
          teamId: draft.teamId,
          version: draft.version,
        };
      }
      if (!current) {
        const change = openCaseChange(demand);
        const draft: CaseDraft = {
          id: randomUUID(),
          reporterId: signal.reporterId,
          state: { severity: change.severity, deadlineAt: change.deadlineAt, reasons: change.reasons },
          teamId: signal.teamId,
          policyId: signal.policyId,
          version: 1,
          write: 'open',
          triage: signal.triage ?? null,
        };
        drafts.set(signal.reporterId, draft);
        return {
          caseId: draft.id,
          opened: true,
          severity: change.severity,
          teamId: draft.teamId,
          version: 1,
        };
      }
      const change = raiseCaseChange(current.state, demand);
      current.state = { severity: change.severity, deadlineAt: change.deadlineAt, reasons: change.reasons };
      current.teamId ??= signal.teamId;
      current.policyId ??= signal.policyId;
      current.version += 1;
      // A case opened (or reopened) earlier in this batch is still that write.
      if (current.write === null) current.write = 'raise';
      // The escalation engine decides what the signal does to an acknowledged run (issue 15 point 6).
      current.signal = signalOfReason(signal.reason);
      return {
        caseId: current.id,
        opened: false,
        severity: change.severity,
        teamId: current.teamId,
        version: current.version,
      };
    });
    // Every case and its case.opened / case.updated outbox row in one statement (one round trip).
    await this.cases.writeSignals(
      manager,
      [...drafts.values()].flatMap((d) => (d.write === null ? [] : [writeOf(d, d.write)])),
    );
    return outcomes;
  }
}

/** A reporter's case as it stands after the signals handled so far (in memory, written once). */
interface CaseDraft {
  readonly id: string;
  readonly reporterId: string;
  state: OpenCaseState;
  teamId: string | null;
  policyId: string | null;
  version: number;
  /** null: untouched; 'open': a new row; 'raise': an update of the stored row; 'reopen': a resolved row opened again. */
  write: SignalWrite['write'] | null;
  readonly triage: Record<string, string | number | null> | null;
  /** The last signal that raised or reopened a stored case (carried by its case.updated event). */
  signal?: CaseSignalKind;
}

function draftOf(row: OpenCaseRow): CaseDraft {
  return {
    id: row.id,
    reporterId: row.reporter_id,
    state: { severity: row.severity, deadlineAt: row.deadline_at, reasons: row.reasons },
    teamId: row.team_id,
    policyId: row.policy_id,
    version: row.version,
    write: null,
    triage: null,
  };
}

function writeOf(d: CaseDraft, write: SignalWrite['write']): SignalWrite {
  return {
    write,
    id: d.id,
    reporterId: d.reporterId,
    severity: d.state.severity,
    teamId: d.teamId,
    policyId: d.policyId,
    deadlineAt: d.state.deadlineAt,
    reasons: d.state.reasons,
    triage: d.triage,
    version: d.version,
    signal: write === 'open' ? null : (d.signal ?? null),
    announce:
      write === 'open'
        ? outboxRowValues(JobName.CaseOpened, { caseId: d.id }, { jobId: caseOpenedJobId(d.id) })
        : outboxRowValues(
            JobName.CaseUpdated,
            { caseId: d.id, version: d.version, ...(d.signal ? { signal: d.signal } : {}) },
            { jobId: caseUpdatedJobId(d.id, d.version) },
          ),
  };
}
