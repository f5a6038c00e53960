import type { FieldProblem } from '../errors';
import { SEVERITIES, type Severity } from '../triage/severity';
import { CheckinSchedule, DAILY_TIME, isKnownTimeZone } from './schedule';

/** What a reporter promised, as validated; stored as the plan's settings. */
export interface CheckinPlanSpec {
  readonly schedule: CheckinSchedule;
  /** How long after a deadline the alert waits (a bus is late, a phone battery dies). */
  readonly graceSeconds: number;
  /** Reminders delivered to the reporter's inbox this many seconds before each deadline. */
  readonly remindersSecondsBefore: readonly number[];
  /** The longest pause the reporter may set (a coerced pause must still end). */
  readonly maxPauseSeconds: number;
  readonly missSeverity: Severity;
}

/** Bounds the deployment chooses (config); tests use seconds, production minutes. */
export interface PlanLimits {
  readonly minIntervalSeconds: number;
  readonly maxIntervalSeconds: number;
  readonly maxGraceSeconds: number;
  readonly maxPauseSeconds: number;
}

export const DEFAULT_PLAN_LIMITS: PlanLimits = {
  minIntervalSeconds: 15 * 60,
  maxIntervalSeconds: 30 * 86_400,
  maxGraceSeconds: 86_400,
  maxPauseSeconds: 30 * 86_400,
};

export const MAX_DAILY_TIMES = 24;
export const MAX_REMINDERS = 5;
const DEFAULT_GRACE_SECONDS = 15 * 60;
const DEFAULT_MAX_PAUSE_SECONDS = 7 * 86_400;

export type PlanValidation =
  | { readonly ok: true; readonly spec: CheckinPlanSpec }
  | { readonly ok: false; readonly problems: readonly FieldProblem[] };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/**
 * Validates a plan as the reporter sent it. Every problem is reported with its field path, so
 * the client can point at the field; unknown fields are refused rather than ignored.
 */
export function validatePlanSpec(input: unknown, limits: PlanLimits = DEFAULT_PLAN_LIMITS): PlanValidation {
  const problems: FieldProblem[] = [];
  const bad = (path: string, message: string): void => void problems.push({ path, message });
  if (!isObj(input)) return { ok: false, problems: [{ path: '(root)', message: 'must be an object' }] };
  unknownFields(
    input,
    ['schedule', 'graceSeconds', 'remindersSecondsBefore', 'maxPauseSeconds', 'missSeverity'],
    '',
    bad,
  );

  const schedule = validateSchedule(input.schedule, limits, bad);
  const graceSeconds = input.graceSeconds ?? Math.min(DEFAULT_GRACE_SECONDS, limits.maxGraceSeconds);
  if (!isInt(graceSeconds) || graceSeconds < 0 || graceSeconds > limits.maxGraceSeconds) {
    bad('graceSeconds', `must be an integer from 0 to ${limits.maxGraceSeconds}`);
  }
  const maxPauseSeconds =
    input.maxPauseSeconds ?? Math.min(DEFAULT_MAX_PAUSE_SECONDS, limits.maxPauseSeconds);
  if (!isInt(maxPauseSeconds) || maxPauseSeconds < 0 || maxPauseSeconds > limits.maxPauseSeconds) {
    bad('maxPauseSeconds', `must be an integer from 0 to ${limits.maxPauseSeconds}`);
  }
  const missSeverity = input.missSeverity ?? 'critical';
  if (typeof missSeverity !== 'string' || !(SEVERITIES as readonly string[]).includes(missSeverity)) {
    bad('missSeverity', `must be one of ${SEVERITIES.join(', ')}`);
  }
  const reminders = input.remindersSecondsBefore ?? [];
  if (!Array.isArray(reminders) || reminders.length > MAX_REMINDERS) {
    bad('remindersSecondsBefore', `must be a list of at most ${MAX_REMINDERS} numbers of seconds`);
  } else {
    const shortest = schedule ? shortestGapSeconds(schedule) : Infinity;
    reminders.forEach((r: unknown, i) => {
      if (!isInt(r) || r < 1 || r >= shortest)
        bad(
          `remindersSecondsBefore[${i}]`,
          `must be an integer from 1 to ${shortest - 1} (less than the time between deadlines)`,
        );
      else if (reminders.indexOf(r) !== i) bad(`remindersSecondsBefore[${i}]`, 'is listed twice');
    });
  }
  if (problems.length > 0 || !schedule) return { ok: false, problems };
  return {
    ok: true,
    spec: {
      schedule,
      graceSeconds: graceSeconds as number,
      remindersSecondsBefore: [...(reminders as number[])].sort((a, b) => b - a),
      maxPauseSeconds: maxPauseSeconds as number,
      missSeverity: missSeverity as Severity,
    },
  };
}

function validateSchedule(
  input: unknown,
  limits: PlanLimits,
  bad: (path: string, message: string) => void,
): CheckinSchedule | null {
  if (!isObj(input)) {
    bad('schedule', 'must be an object with kind "interval" or "daily"');
    return null;
  }
  switch (input.kind) {
    case 'interval': {
      unknownFields(input, ['kind', 'everySeconds'], 'schedule.', bad);
      const every = input.everySeconds;
      if (!isInt(every) || every < limits.minIntervalSeconds || every > limits.maxIntervalSeconds) {
        bad(
          'schedule.everySeconds',
          `must be an integer from ${limits.minIntervalSeconds} to ${limits.maxIntervalSeconds}`,
        );
        return null;
      }
      return { kind: 'interval', everySeconds: every };
    }
    case 'daily': {
      unknownFields(input, ['kind', 'times', 'timeZone'], 'schedule.', bad);
      let ok = true;
      const times = input.times;
      if (!Array.isArray(times) || times.length < 1 || times.length > MAX_DAILY_TIMES) {
        bad('schedule.times', `must list 1 to ${MAX_DAILY_TIMES} times as "HH:mm"`);
        ok = false;
      } else {
        times.forEach((t: unknown, i) => {
          if (typeof t !== 'string' || !DAILY_TIME.test(t)) {
            bad(`schedule.times[${i}]`, 'must be a 24-hour time "HH:mm"');
            ok = false;
          } else if (times.indexOf(t) !== i) {
            bad(`schedule.times[${i}]`, 'is listed twice');
            ok = false;
          }
        });
      }
      if (typeof input.timeZone !== 'string' || !isKnownTimeZone(input.timeZone)) {
        bad('schedule.timeZone', 'must be an IANA time zone such as "Europe/Berlin"');
        ok = false;
      }
      if (!ok) return null;
      const sorted = [...(times as string[])].sort();
      const schedule: CheckinSchedule = { kind: 'daily', times: sorted, timeZone: input.timeZone as string };
      if (shortestGapSeconds(schedule) < limits.minIntervalSeconds) {
        bad('schedule.times', `must be at least ${limits.minIntervalSeconds} seconds apart`);
        return null;
      }
      return schedule;
    }
    default:
      bad('schedule.kind', 'must be "interval" or "daily"');
      return null;
  }
}

/** The shortest time between two deadlines, by the wall clock (DST shifts are ignored here). */
export function shortestGapSeconds(schedule: CheckinSchedule): number {
  if (schedule.kind === 'interval') return schedule.everySeconds;
  const minutes = schedule.times
    .map((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5)))
    .sort((a, b) => a - b);
  let gap = 24 * 60 - minutes[minutes.length - 1] + minutes[0];
  for (let i = 1; i < minutes.length; i += 1) gap = Math.min(gap, minutes[i] - minutes[i - 1]);
  return gap * 60;
}

function unknownFields(
  obj: Obj,
  known: readonly string[],
  prefix: string,
  bad: (path: string, message: string) => void,
): void {
  for (const key of Object.keys(obj))
    if (!known.includes(key)) bad(`${prefix}${key}`, 'is not a known field');
}
