import type { CheckinPlanSpec } from './plan';
import { deadlineFrom, windowStart } from './schedule';

/**
 * Where a plan stands. `nextDeadline` is the promise; the alert fires at `alertAt` (deadline +
 * grace). `missedAt` is set by the first unanswered alert and cleared only by a check-in, so a
 * late check-in can always be told apart from an on-time one.
 */
export interface PlanState {
  readonly nextDeadline: Date;
  readonly alertAt: Date;
  readonly pausedUntil: Date | null;
  readonly missedAt: Date | null;
  readonly lastCheckinAt: Date | null;
}

export type CheckinOutcome =
  /** Before the deadline: the next deadline moves on. */
  | 'on_time'
  /** After the deadline but before an alert went out: accepted, noted as late. */
  | 'late'
  /** After the alert: recorded on the case ("reporter checked in after the alert"), which stays open. */
  | 'after_alert'
  /** Already checked in for this window (daily times), or the plan is paused: recorded, nothing moves. */
  | 'recorded';

export function scheduleFrom(spec: CheckinPlanSpec, from: Date): Pick<PlanState, 'nextDeadline' | 'alertAt'> {
  const nextDeadline = deadlineFrom(spec.schedule, from);
  return { nextDeadline, alertAt: alertAtFor(spec, nextDeadline) };
}

export function alertAtFor(spec: CheckinPlanSpec, deadline: Date): Date {
  return new Date(deadline.getTime() + spec.graceSeconds * 1000);
}

/** A new plan (or a changed one: schedule and time zone take effect from now). */
export function startPlan(spec: CheckinPlanSpec, now: Date, previous?: PlanState): PlanState {
  return {
    ...scheduleFrom(spec, now),
    pausedUntil: null,
    missedAt: previous?.missedAt ?? null,
    lastCheckinAt: previous?.lastCheckinAt ?? null,
  };
}

/** A (non-duress) check-in at `at`. */
export function applyCheckin(
  spec: CheckinPlanSpec,
  state: PlanState,
  at: Date,
): { state: PlanState; outcome: CheckinOutcome } {
  const t = at.getTime();
  if (state.missedAt !== null) {
    // The alert is out and the case is open: start afresh from now, and let the case say so.
    return {
      state: { ...state, ...scheduleFrom(spec, at), missedAt: null, lastCheckinAt: at },
      outcome: 'after_alert',
    };
  }
  if (state.pausedUntil !== null && state.pausedUntil.getTime() > t) {
    return { state: { ...state, lastCheckinAt: at }, outcome: 'recorded' };
  }
  const deadline = state.nextDeadline.getTime();
  const opens = windowStart(spec.schedule, state.nextDeadline);
  if (opens !== null && t <= opens.getTime())
    return { state: { ...state, lastCheckinAt: at }, outcome: 'recorded' };
  // An interval counts from the check-in; daily times move to the first one after this deadline.
  const from = spec.schedule.kind === 'interval' ? at : new Date(Math.max(deadline, t));
  return {
    state: { ...state, ...scheduleFrom(spec, from), pausedUntil: null, lastCheckinAt: at },
    outcome: t <= deadline ? 'on_time' : 'late',
  };
}

export type AlertDecision =
  /** Not due (a check-in moved the deadline, or the job fired early): nothing happens. */
  | { readonly kind: 'not_due' }
  /** Missed: raise the case; the plan moves to the next deadline so continued silence raises again. */
  | {
      readonly kind: 'missed';
      readonly deadline: Date;
      readonly firstMiss: boolean;
      readonly state: PlanState;
    };

/**
 * The alert timer (a delayed job or the sweeper) fired at `now`. Deadlines missed while the
 * worker was down collapse into one alert: the next deadline is the first one after now.
 */
export function decideAlert(spec: CheckinPlanSpec, state: PlanState, now: Date): AlertDecision {
  if (now.getTime() < state.alertAt.getTime()) return { kind: 'not_due' };
  const firstMiss = state.missedAt === null;
  const from = spec.schedule.kind === 'interval' ? state.nextDeadline : now;
  let next = scheduleFrom(spec, from);
  // An interval continues from the missed deadline; skip whole intervals already in the past.
  while (next.alertAt.getTime() <= now.getTime()) next = scheduleFrom(spec, next.nextDeadline);
  return {
    kind: 'missed',
    deadline: state.nextDeadline,
    firstMiss,
    state: { ...state, ...next, missedAt: state.missedAt ?? now },
  };
}

export type PauseDecision =
  | { readonly ok: true; readonly state: PlanState }
  | { readonly ok: false; readonly reason: 'too_long' | 'in_past' };

/** Pausing moves the deadline to after the pause: nothing else in the engine needs to know. */
export function pausePlan(spec: CheckinPlanSpec, state: PlanState, now: Date, until: Date): PauseDecision {
  const seconds = (until.getTime() - now.getTime()) / 1000;
  if (seconds <= 0) return { ok: false, reason: 'in_past' };
  if (seconds > spec.maxPauseSeconds) return { ok: false, reason: 'too_long' };
  return { ok: true, state: { ...state, ...scheduleFrom(spec, until), pausedUntil: until } };
}

/** Resuming early starts the schedule from now (a pause never lasts longer than it says). */
export function resumePlan(spec: CheckinPlanSpec, state: PlanState, now: Date): PlanState {
  if (state.pausedUntil === null || state.pausedUntil.getTime() <= now.getTime())
    return { ...state, pausedUntil: null };
  return { ...state, ...scheduleFrom(spec, now), pausedUntil: null };
}

/** The first reminder strictly after `now` for the current deadline, or null. */
export function nextReminderAt(spec: CheckinPlanSpec, state: PlanState, now: Date): Date | null {
  const times = spec.remindersSecondsBefore
    .map((s) => state.nextDeadline.getTime() - s * 1000)
    .filter((t) => t > now.getTime())
    .sort((a, b) => a - b);
  return times.length > 0 ? new Date(times[0]) : null;
}
