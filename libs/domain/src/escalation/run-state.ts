/**
 * The escalation run state machine. PostgreSQL holds the state; every transition is decided here.
 *
 *   active ──ack──> acknowledged ──ack timeout──> active (policy restarts)
 *   active ──snooze──> snoozed ──snooze ends──> active (the pending step runs)
 *   active ──policy runs out──> exhausted ──ack──> acknowledged
 *   any but resolved ──resolve──> resolved (final)
 */
export const RUN_STATES = ['active', 'acknowledged', 'resolved', 'exhausted', 'snoozed'] as const;
export type RunState = (typeof RUN_STATES)[number];

/** Stable causes a client can act on (DomainError.reason). Never renamed. */
export const EscalationReason = {
  Resolved: 'escalation/resolved',
  NotSnoozable: 'escalation/not_snoozable',
  SnoozeTooLong: 'escalation/snooze_too_long',
  LinkInvalid: 'escalation/link_invalid',
  LinkNotYours: 'escalation/link_not_yours',
  PolicyInvalid: 'escalation/policy_invalid',
  PolicyVersionConflict: 'escalation/policy_version_conflict',
  NotYourCase: 'escalation/not_your_case',
} as const;
export type EscalationReason = (typeof EscalationReason)[keyof typeof EscalationReason];

export type RunCommand =
  | { readonly kind: 'acknowledge' }
  | { readonly kind: 'resolve' }
  | { readonly kind: 'snooze'; readonly seconds: number; readonly maxSeconds: number };

export type RunDecision =
  | { readonly ok: true; readonly next: RunState; readonly changed: boolean }
  | { readonly ok: false; readonly reason: EscalationReason; readonly message: string };

export function decideRunCommand(state: RunState, command: RunCommand): RunDecision {
  if (state === 'resolved') {
    // Resolving twice is a retry, not a conflict; anything else on a resolved run is.
    return command.kind === 'resolve'
      ? { ok: true, next: 'resolved', changed: false }
      : { ok: false, reason: EscalationReason.Resolved, message: 'The escalation is resolved' };
  }
  switch (command.kind) {
    case 'acknowledge':
      return { ok: true, next: 'acknowledged', changed: true };
    case 'resolve':
      return { ok: true, next: 'resolved', changed: true };
    case 'snooze':
      if (state !== 'active' && state !== 'snoozed') {
        return {
          ok: false,
          reason: EscalationReason.NotSnoozable,
          message: `An ${state} escalation cannot be snoozed`,
        };
      }
      if (command.seconds > command.maxSeconds) {
        return {
          ok: false,
          reason: EscalationReason.SnoozeTooLong,
          message: `Snooze is limited to ${command.maxSeconds} seconds by the policy`,
        };
      }
      return { ok: true, next: 'snoozed', changed: true };
  }
}

/** What a due step job does, given the run's state (after its fencing token matched). */
export type DueAction = 'execute' | 'resume' | 'reactivate' | 'nothing';

export function dueAction(state: RunState): DueAction {
  switch (state) {
    case 'active':
      return 'execute';
    case 'snoozed':
      return 'resume';
    case 'acknowledged':
      return 'reactivate';
    case 'exhausted':
    case 'resolved':
      return 'nothing';
  }
}

/** A signal that raised an existing case (the case.updated event carries it). */
export const CASE_SIGNALS = ['report', 'missed_checkin', 'panic', 'duress'] as const;
export type CaseSignalKind = (typeof CASE_SIGNALS)[number];

/** What a signal on a case does to its escalation run (issue 15 point 6). */
export interface SignalDecision {
  /** Send the case update to the assignee (else whoever acknowledged) at once. */
  readonly notifyAssignee: boolean;
  /** Put the run back to unacknowledged: acknowledge again within the ack timeout or it restarts. */
  readonly unacknowledge: boolean;
}

/**
 * A signal on a case someone acknowledged (or snoozed) must reach a person: nobody else is
 * watching it. A panic, duress or missed check-in also takes the acknowledgement back. An active
 * or exhausted run is already alerting people; a resolved run's case is closed.
 */
export function decideSignalOnRun(state: RunState, signal: CaseSignalKind | null): SignalDecision {
  if (signal === null || (state !== 'acknowledged' && state !== 'snoozed'))
    return { notifyAssignee: false, unacknowledge: false };
  return { notifyAssignee: true, unacknowledge: signal !== 'report' };
}

/** The signal a case reason stands for (triage failures are reports). */
export function signalOfReason(reason: string): CaseSignalKind {
  switch (reason) {
    case 'missed_checkin':
    case 'panic':
    case 'duress':
      return reason;
    default:
      return 'report';
  }
}
