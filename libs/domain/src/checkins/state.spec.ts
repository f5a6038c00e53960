import { isRepeatPanic } from './panic';
import { CheckinPlanSpec, validatePlanSpec } from './plan';
import { applyCheckin, decideAlert, nextReminderAt, pausePlan, resumePlan, startPlan } from './state';

const T0 = new Date('2026-06-01T00:00:00Z');
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);

function spec(input: unknown): CheckinPlanSpec {
  const v = validatePlanSpec(input, {
    minIntervalSeconds: 1,
    maxIntervalSeconds: 86_400 * 30,
    maxGraceSeconds: 86_400,
    maxPauseSeconds: 86_400 * 30,
  });
  if (!v.ok) throw new Error(JSON.stringify(v.problems));
  return v.spec;
}

const hourly = spec({
  schedule: { kind: 'interval', everySeconds: 3600 },
  graceSeconds: 600,
  remindersSecondsBefore: [300, 900],
  maxPauseSeconds: 7200,
});

describe('plan validation', () => {
  it('defaults to a critical miss, a grace period and a bounded pause', () => {
    const v = validatePlanSpec({ schedule: { kind: 'interval', everySeconds: 86_400 } });
    expect(v.ok && v.spec).toEqual({
      schedule: { kind: 'interval', everySeconds: 86_400 },
      graceSeconds: 900,
      remindersSecondsBefore: [],
      maxPauseSeconds: 7 * 86_400,
      missSeverity: 'critical',
    });
  });

  it('names every bad field by its path', () => {
    const v = validatePlanSpec({
      schedule: { kind: 'daily', times: ['9:00', '21:00', '21:00'], timeZone: 'Mars/Olympus' },
      graceSeconds: -1,
      remindersSecondsBefore: [0],
      missSeverity: 'apocalyptic',
      location: 'Berlin',
    });
    expect(v.ok).toBe(false);
    const paths = v.ok ? [] : v.problems.map((p) => p.path).sort();
    expect(paths).toEqual(
      [
        'graceSeconds',
        'location',
        'missSeverity',
        'remindersSecondsBefore[0]',
        'schedule.timeZone',
        'schedule.times[0]',
        'schedule.times[2]',
      ].sort(),
    );
  });

  it('refuses intervals below the deployment minimum and reminders longer than the interval', () => {
    const v = validatePlanSpec({ schedule: { kind: 'interval', everySeconds: 60 } });
    expect(!v.ok && v.problems[0].path).toBe('schedule.everySeconds');
    const r = validatePlanSpec({
      schedule: { kind: 'interval', everySeconds: 3600 },
      remindersSecondsBefore: [3600],
    });
    expect(!r.ok && r.problems[0].path).toBe('remindersSecondsBefore[0]');
  });

  it('refuses daily times closer together than the minimum interval', () => {
    const v = validatePlanSpec({ schedule: { kind: 'daily', times: ['09:00', '09:05'], timeZone: 'UTC' } });
    expect(!v.ok && v.problems[0].path).toBe('schedule.times');
  });
});

describe('check-in state machine', () => {
  const start = startPlan(hourly, T0);

  it('an on-time check-in moves the deadline and clears nothing else', () => {
    const { state, outcome } = applyCheckin(hourly, start, at(1800));
    expect(outcome).toBe('on_time');
    expect(state.nextDeadline).toEqual(at(5400));
    expect(state.alertAt).toEqual(at(6000));
    expect(decideAlert(hourly, state, at(3700))).toEqual({ kind: 'not_due' });
  });

  it('a check-in in the grace period is late but prevents the alert', () => {
    const { state, outcome } = applyCheckin(hourly, start, at(3900));
    expect(outcome).toBe('late');
    expect(decideAlert(hourly, state, at(4200)).kind).toBe('not_due');
  });

  it('silence past deadline + grace is a miss, and continued silence misses again', () => {
    const first = decideAlert(hourly, start, at(4200));
    if (first.kind !== 'missed') throw new Error('expected a miss');
    expect(first.firstMiss).toBe(true);
    expect(first.deadline).toEqual(at(3600));
    expect(first.state.nextDeadline).toEqual(at(7200));
    expect(first.state.missedAt).toEqual(at(4200));
    const second = decideAlert(hourly, first.state, at(7800));
    expect(second.kind === 'missed' && second.firstMiss).toBe(false);
  });

  it('a check-in after the alert is recorded as such and the schedule restarts', () => {
    const miss = decideAlert(hourly, start, at(4200));
    if (miss.kind !== 'missed') throw new Error('expected a miss');
    const { state, outcome } = applyCheckin(hourly, miss.state, at(5000));
    expect(outcome).toBe('after_alert');
    expect(state.missedAt).toBeNull();
    expect(state.nextDeadline).toEqual(at(8600));
  });

  it('a worker down for hours raises one alert, not one per missed deadline', () => {
    const miss = decideAlert(hourly, start, at(5 * 3600 + 1));
    if (miss.kind !== 'missed') throw new Error('expected a miss');
    expect(miss.state.alertAt.getTime()).toBeGreaterThan(at(5 * 3600 + 1).getTime());
    expect(decideAlert(hourly, miss.state, at(5 * 3600 + 2)).kind).toBe('not_due');
  });

  it('two check-ins at 08:00 answer the 09:00 deadline but not the 21:00 one', () => {
    const daily = spec({
      schedule: { kind: 'daily', times: ['09:00', '21:00'], timeZone: 'UTC' },
      graceSeconds: 60,
    });
    const s0 = startPlan(daily, new Date('2026-06-01T07:00:00Z'));
    const a = applyCheckin(daily, s0, new Date('2026-06-01T08:00:00Z'));
    expect(a.state.nextDeadline.toISOString()).toBe('2026-06-01T21:00:00.000Z');
    const b = applyCheckin(daily, a.state, new Date('2026-06-01T08:30:00Z'));
    expect(b.outcome).toBe('recorded');
    expect(b.state.nextDeadline.toISOString()).toBe('2026-06-01T21:00:00.000Z');
  });

  it('a pause moves the deadline past its end, up to the maximum pause; resuming early restarts from now', () => {
    expect(pausePlan(hourly, start, T0, at(7201))).toEqual({ ok: false, reason: 'too_long' });
    expect(pausePlan(hourly, start, T0, T0)).toEqual({ ok: false, reason: 'in_past' });
    const paused = pausePlan(hourly, start, T0, at(7200));
    if (!paused.ok) throw new Error('pause allowed');
    expect(paused.state.nextDeadline).toEqual(at(7200 + 3600));
    expect(applyCheckin(hourly, paused.state, at(100)).outcome).toBe('recorded');
    const resumed = resumePlan(hourly, paused.state, at(600));
    expect(resumed.pausedUntil).toBeNull();
    expect(resumed.nextDeadline).toEqual(at(4200));
  });

  it('pausing does not clear a miss: only a check-in answers an alert', () => {
    const miss = decideAlert(hourly, start, at(4200));
    if (miss.kind !== 'missed') throw new Error('expected a miss');
    const paused = pausePlan(hourly, miss.state, at(4300), at(5000));
    expect(paused.ok && paused.state.missedAt).toEqual(at(4200));
  });

  it('reminders come before the deadline, earliest first, and none after it', () => {
    expect(nextReminderAt(hourly, start, T0)).toEqual(at(2700));
    expect(nextReminderAt(hourly, start, at(2700))).toEqual(at(3300));
    expect(nextReminderAt(hourly, start, at(3300))).toBeNull();
  });
});

describe('panic window', () => {
  it('treats presses within the window of the last one as the same emergency', () => {
    expect(isRepeatPanic(null, T0, 300)).toBe(false);
    expect(isRepeatPanic(T0, at(299), 300)).toBe(true);
    expect(isRepeatPanic(T0, at(300), 300)).toBe(false);
  });
});
