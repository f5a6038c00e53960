import { DateTime } from 'luxon';

/**
 * On-call schedules: one weekly rotation per team. The first member is on call from the
 * rotation's start date at the handoff time, in the schedule's time zone; each week at the same
 * local weekday and wall-clock time the next member takes over. Weeks are counted on the local
 * calendar, not in 168-hour blocks, so a handoff at 09:00 stays at 09:00 across DST changes.
 * Overrides replace the rotation for an interval; the most recently created one wins.
 */
export interface OnCallSchedule {
  /** IANA zone, e.g. `Europe/Berlin`. */
  readonly timeZone: string;
  /** Local wall-clock time of the handoff, `HH:mm`. */
  readonly handoffTime: string;
  /** Local date (`yyyy-MM-dd`) of the first handoff; its weekday is the handoff weekday. */
  readonly rotationStart: string;
  /** Staff ids in rotation order. */
  readonly members: readonly string[];
  readonly overrides: readonly OnCallOverride[];
}

export interface OnCallOverride {
  readonly staffId: string;
  readonly startsAt: Date;
  /** Exclusive. */
  readonly endsAt: Date;
  readonly createdAt: Date;
}

export function isTimeZone(zone: string): boolean {
  return DateTime.local().setZone(zone).isValid;
}

/** The first handoff as an instant. A nonexistent local time (spring forward) moves later, as clocks do. */
function firstHandoff(s: OnCallSchedule): DateTime {
  return DateTime.fromISO(`${s.rotationStart}T${s.handoffTime}`, { zone: s.timeZone });
}

/**
 * Who is on call at `at` (overrides first), or null before the rotation starts or with nobody in
 * it. Only people `eligible` accepts can be on call (G6: admins never are, nor anyone no longer
 * active): an ineligible override is passed over for the next one or the rotation, and an
 * ineligible rotation member's week goes to the next eligible member in rotation order, so a
 * schedule written before someone became an admin never sends them case alerts.
 */
export function onCallAt(
  schedule: OnCallSchedule,
  at: Date,
  eligible: (staffId: string) => boolean = () => true,
): string | null {
  const t = at.getTime();
  let override: OnCallOverride | null = null;
  for (const o of schedule.overrides) {
    if (
      eligible(o.staffId) &&
      o.startsAt.getTime() <= t &&
      t < o.endsAt.getTime() &&
      (!override || o.createdAt > override.createdAt)
    )
      override = o;
  }
  if (override) return override.staffId;
  const n = schedule.members.length;
  if (n === 0) return null;
  const start = firstHandoff(schedule);
  if (!start.isValid || t < start.toMillis()) return null;
  // Estimate in real time, then correct on the local calendar (DST shifts an hour either way).
  let weeks = Math.floor((t - start.toMillis()) / (7 * 86_400_000));
  while (weeks > 0 && start.plus({ weeks }).toMillis() > t) weeks -= 1;
  while (start.plus({ weeks: weeks + 1 }).toMillis() <= t) weeks += 1;
  for (let k = 0; k < n; k++) {
    const person = schedule.members[(weeks + k) % n];
    if (eligible(person)) return person;
  }
  return null;
}

/** Minutes since local midnight of `at` in `timeZone` (UTC if the zone is unknown). */
export function localMinuteOfDay(at: Date, timeZone: string): number {
  let local = DateTime.fromJSDate(at, { zone: timeZone });
  if (!local.isValid) local = DateTime.fromJSDate(at, { zone: 'UTC' });
  return local.hour * 60 + local.minute;
}

/** Whether `at`, in `timeZone`, falls in [from, to); windows may wrap midnight (`22:00`–`06:00`). */
export function withinLocalTime(at: Date, timeZone: string, from: string, to: string): boolean {
  const m = localMinuteOfDay(at, timeZone);
  const f = hhmmToMinutes(from);
  const e = hhmmToMinutes(to);
  return f < e ? m >= f && m < e : m >= f || m < e;
}

function hhmmToMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}
