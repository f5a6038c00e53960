import { maxSeverity, raiseSeverity, Severity } from './severity';

/** Case states. Open cases block a second open case for the same reporter. */
export const CASE_STATES = ['open', 'acknowledged', 'resolved'] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** Why a case was opened or raised (stored on the case; reason codes, never content). */
export const CaseReason = {
  Report: 'report',
  RepeatReport: 'repeat_report',
  TriageFailed: 'triage_failed',
  MissedCheckin: 'missed_checkin',
  Panic: 'panic',
  Duress: 'duress',
} as const;
export type CaseReason = (typeof CaseReason)[keyof typeof CaseReason];

export interface CaseDemand {
  readonly severity: Severity;
  readonly deadlineAt: Date;
  readonly reason: CaseReason;
  /** Another signal from this reporter arrived within the repeat window. */
  readonly repeat: boolean;
}

export interface OpenCaseState {
  readonly severity: Severity;
  readonly deadlineAt: Date;
  readonly reasons: readonly CaseReason[];
}

export interface CaseChange {
  readonly severity: Severity;
  readonly deadlineAt: Date;
  readonly reasons: readonly CaseReason[];
  /** Something a caseworker must notice changed (severity up or deadline earlier). */
  readonly escalated: boolean;
}

function withReasons(reasons: readonly CaseReason[], demand: CaseDemand): CaseReason[] {
  const out = [...reasons];
  const add = (r: CaseReason): void => {
    if (!out.includes(r)) out.push(r);
  };
  add(demand.reason);
  if (demand.repeat) add(CaseReason.RepeatReport);
  return out;
}

/**
 * A new case: the demanded severity, raised one level when the reporter warned again within the
 * window (repeated warnings are how an imminent attack looks).
 */
export function openCaseChange(demand: CaseDemand): CaseChange {
  const severity = demand.repeat ? raiseSeverity(demand.severity) : demand.severity;
  return { severity, deadlineAt: demand.deadlineAt, reasons: withReasons([], demand), escalated: true };
}

/**
 * Folding a new signal into the reporter's open case: never lowers anything. Severity is the
 * higher of the two, raised one level on a repeat; the deadline is the earlier of the two.
 */
export function raiseCaseChange(open: OpenCaseState, demand: CaseDemand): CaseChange {
  let severity = maxSeverity(open.severity, demand.severity);
  if (demand.repeat) severity = raiseSeverity(severity);
  const deadlineAt =
    demand.deadlineAt.getTime() < open.deadlineAt.getTime() ? demand.deadlineAt : open.deadlineAt;
  return {
    severity,
    deadlineAt,
    reasons: withReasons(open.reasons, demand),
    escalated: severity !== open.severity || deadlineAt !== open.deadlineAt,
  };
}

/**
 * A critical signal from a reporter whose cases are all resolved reopens their latest case
 * (issue 15 point 6) instead of opening a new one: the people who worked it keep its history and
 * its team. The severity and deadline are the new signal's (the old deadline has long passed),
 * the reasons gain the new one. Anything less than critical opens a new case: null.
 */
export function reopenCaseChange(resolved: OpenCaseState, demand: CaseDemand): CaseChange | null {
  const opened = openCaseChange(demand);
  if (opened.severity !== 'critical') return null;
  return {
    severity: opened.severity,
    deadlineAt: opened.deadlineAt,
    reasons: withReasons(resolved.reasons, demand),
    escalated: true,
  };
}
