import { DateTime, IANAZone } from 'luxon';

/**
 * When a reporter promised to check in: every N seconds since their last check-in, or at fixed
 * wall-clock times ("HH:mm") in their own time zone. Stored as JSON on the plan: never rename a
 * field.
 */
export type CheckinSchedule =
  | { readonly kind: 'interval'; readonly everySeconds: number }
  | { readonly kind: 'daily'; readonly times: readonly string[]; readonly timeZone: string };

export const DAILY_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isKnownTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/**
 * The instant a wall-clock time on a calendar day means in `zone`, following RFC 5545 §3.3.5:
 * a time that occurs twice (autumn fall-back) is the FIRST occurrence, so an alert is never an
 * hour later than promised; a time that does not exist (spring-forward gap) is read with the
 * offset before the gap, i.e. pushed forward by the gap's length (02:30 → 03:30 in Berlin).
 */
export function resolveWallTime(
  date: { year: number; month: number; day: number },
  hhmm: string,
  zone: string,
): Date {
  const m = DAILY_TIME.exec(hhmm);
  if (!m) throw new Error(`not an HH:mm time: ${hhmm}`);
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  const wall = { ...date, hour, minute, second: 0, millisecond: 0 };
  // luxon resolves a gap forward (what RFC 5545 asks) but an overlap to the LATER instant; look
  // for an earlier instant with the same wall clock under the zone's offsets around that day.
  const guess = DateTime.fromObject(wall, { zone });
  const wallAsUtc = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  let best = guess.toMillis();
  for (const probe of [guess.minus({ hours: 6 }), guess.plus({ hours: 6 })]) {
    const instant = wallAsUtc - probe.offset * 60_000;
    const back = DateTime.fromMillis(instant, { zone });
    const same =
      back.year === date.year &&
      back.month === date.month &&
      back.day === date.day &&
      back.hour === hour &&
      back.minute === minute;
    if (same && instant < best) best = instant;
  }
  return new Date(best);
}

/** The first daily deadline strictly after `after`, in the schedule's zone (DST-correct). */
export function firstDailyAfter(times: readonly string[], zone: string, after: Date): Date {
  const local = DateTime.fromJSDate(after, { zone });
  let best: number | null = null;
  // Yesterday..tomorrow+1 covers every zone offset and a gap-shifted time crossing midnight.
  for (let d = -1; d <= 2; d += 1) {
    const day = local.plus({ days: d });
    for (const t of times) {
      const at = resolveWallTime({ year: day.year, month: day.month, day: day.day }, t, zone).getTime();
      if (at > after.getTime() && (best === null || at < best)) best = at;
    }
  }
  if (best === null) throw new Error('a daily schedule always has a next occurrence');
  return new Date(best);
}

/** The last daily deadline strictly before `before`. */
export function lastDailyBefore(times: readonly string[], zone: string, before: Date): Date {
  const local = DateTime.fromJSDate(before, { zone });
  let best: number | null = null;
  for (let d = -2; d <= 1; d += 1) {
    const day = local.plus({ days: d });
    for (const t of times) {
      const at = resolveWallTime({ year: day.year, month: day.month, day: day.day }, t, zone).getTime();
      if (at < before.getTime() && (best === null || at > best)) best = at;
    }
  }
  if (best === null) throw new Error('a daily schedule always has a previous occurrence');
  return new Date(best);
}

/**
 * The next deadline for a schedule counted from `from`: an interval runs from that moment (a
 * check-in, a resume, the end of a pause); daily times are the first occurrence after it.
 */
export function deadlineFrom(schedule: CheckinSchedule, from: Date): Date {
  switch (schedule.kind) {
    case 'interval':
      return new Date(from.getTime() + schedule.everySeconds * 1000);
    case 'daily':
      return firstDailyAfter(schedule.times, schedule.timeZone, from);
  }
}

/**
 * Where the window of check-ins that satisfy `deadline` opens. A daily deadline is satisfied by
 * a check-in after the previous scheduled time, so two check-ins at 08:00 cannot answer both the
 * 09:00 and the 21:00 deadline; an interval re-anchors on every check-in, so it has no window.
 */
export function windowStart(schedule: CheckinSchedule, deadline: Date): Date | null {
  switch (schedule.kind) {
    case 'interval':
      return null;
    case 'daily':
      return lastDailyBefore(schedule.times, schedule.timeZone, deadline);
  }
}
