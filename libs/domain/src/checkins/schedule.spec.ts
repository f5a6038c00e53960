import { deadlineFrom, firstDailyAfter, resolveWallTime } from './schedule';
import { validatePlanSpec } from './plan';
import { applyCheckin, startPlan } from './state';

const iso = (d: Date): string => d.toISOString();

describe('daily deadlines across DST', () => {
  it('reads a 02:30 that does not exist on the Berlin spring-forward day as 03:30 CEST (RFC 5545)', () => {
    // 2026-03-29: 02:00 CET jumps to 03:00 CEST.
    const at = resolveWallTime({ year: 2026, month: 3, day: 29 }, '02:30', 'Europe/Berlin');
    expect(iso(at)).toBe('2026-03-29T01:30:00.000Z');
  });

  it('moves from the day before spring-forward to the shifted 02:30 and back to a normal one after', () => {
    const times = ['02:30'];
    const d1 = firstDailyAfter(times, 'Europe/Berlin', new Date('2026-03-28T12:00:00Z'));
    expect(iso(d1)).toBe('2026-03-29T01:30:00.000Z');
    const d2 = firstDailyAfter(times, 'Europe/Berlin', d1);
    expect(iso(d2)).toBe('2026-03-30T00:30:00.000Z'); // 02:30 CEST
    // The day has 23 hours: the gap between two deadlines is 23 h, never 0 or 47.
    expect(d2.getTime() - d1.getTime()).toBe(23 * 3600_000);
  });

  it('fires a 01:30 that happens twice on the New York fall-back day once, at the first occurrence', () => {
    // 2026-11-01: 02:00 EDT falls back to 01:00 EST; 01:30 happens at 05:30Z and again at 06:30Z.
    const first = firstDailyAfter(['01:30'], 'America/New_York', new Date('2026-10-31T12:00:00Z'));
    expect(iso(first)).toBe('2026-11-01T05:30:00.000Z');
    const next = firstDailyAfter(['01:30'], 'America/New_York', first);
    expect(iso(next)).toBe('2026-11-02T06:30:00.000Z'); // the repeat at 06:30Z is skipped
  });

  it('takes the first 02:30 on the Berlin fall-back day', () => {
    const at = firstDailyAfter(['02:30'], 'Europe/Berlin', new Date('2026-10-24T12:00:00Z'));
    expect(iso(at)).toBe('2026-10-25T00:30:00.000Z'); // 02:30 CEST, not 02:30 CET
  });

  it('keeps 09:00 local across the change (a 25-hour day between deadlines)', () => {
    const d1 = firstDailyAfter(['09:00'], 'Europe/Berlin', new Date('2026-10-24T05:00:00Z'));
    const d2 = firstDailyAfter(['09:00'], 'Europe/Berlin', d1);
    expect(iso(d1)).toBe('2026-10-24T07:00:00.000Z');
    expect(iso(d2)).toBe('2026-10-25T08:00:00.000Z');
  });

  it('follows a reporter who moves from Berlin to Toronto: the next deadline is 09:00 in Toronto', () => {
    const berlin = validatePlanSpec({
      schedule: { kind: 'daily', times: ['09:00'], timeZone: 'Europe/Berlin' },
    });
    const toronto = validatePlanSpec({
      schedule: { kind: 'daily', times: ['09:00'], timeZone: 'America/Toronto' },
    });
    if (!berlin.ok || !toronto.ok) throw new Error('valid specs');
    const now = new Date('2026-06-10T06:00:00Z'); // 08:00 in Berlin, 02:00 in Toronto
    const before = startPlan(berlin.spec, now);
    expect(iso(before.nextDeadline)).toBe('2026-06-10T07:00:00.000Z');
    const after = startPlan(toronto.spec, now, before);
    expect(iso(after.nextDeadline)).toBe('2026-06-10T13:00:00.000Z');
  });

  it('counts an interval in elapsed time, so DST never stretches "every 24 h"', () => {
    const from = new Date('2026-03-28T12:00:00Z');
    expect(deadlineFrom({ kind: 'interval', everySeconds: 86_400 }, from).getTime() - from.getTime()).toBe(
      86_400_000,
    );
  });

  it('picks the earliest of several daily times, including one after midnight in the zone', () => {
    const at = firstDailyAfter(['00:15', '21:00'], 'Asia/Kabul', new Date('2026-05-01T17:00:00Z')); // 21:30 in Kabul
    expect(iso(at)).toBe('2026-05-01T19:45:00.000Z'); // 00:15 +04:30
  });

  it('a daily check-in just before a spring-forward deadline moves to the next day', () => {
    const v = validatePlanSpec({
      schedule: { kind: 'daily', times: ['02:30'], timeZone: 'Europe/Berlin' },
      graceSeconds: 600,
    });
    if (!v.ok) throw new Error('valid');
    const state = startPlan(v.spec, new Date('2026-03-28T12:00:00Z'));
    const { state: next, outcome } = applyCheckin(v.spec, state, new Date('2026-03-29T01:00:00Z'));
    expect(outcome).toBe('on_time');
    expect(iso(next.nextDeadline)).toBe('2026-03-30T00:30:00.000Z');
  });
});
