import type { PolicyDefinition } from './policy';
import { decideRunCommand, dueAction } from './run-state';
import { simulate } from './simulate';
import { advance, type DirectorySnapshot, START_CURSOR } from './timeline';

const directory: DirectorySnapshot = {
  teamMembers: { t1: ['a', 'b', 'c'] },
  teamSupervisors: { t1: ['sup'] },
  admins: ['adm'],
  activeStaff: new Set(['a', 'b', 'c', 'sup', 'adm', 'night']),
  schedules: {},
  timeZones: { night: 'Asia/Kabul' },
  contacts: {
    a: [
      { methodId: 'm1', channel: 'email' },
      { methodId: 'm2', channel: 'sms' },
    ],
    b: [{ methodId: 'm3', channel: 'webhook' }],
  },
};
const t0 = new Date('2025-06-01T10:00:00Z');
const plus = (s: number) => new Date(t0.getTime() + s * 1000);

const threeTier: PolicyDefinition = {
  ackTimeoutSeconds: null,
  maxSnoozeSeconds: 3600,
  steps: [
    { type: 'notify', targets: [{ type: 'staff', staffId: 'a' }], mode: 'all' },
    { type: 'wait', seconds: 60 },
    { type: 'notify', targets: [{ type: 'staff', staffId: 'b' }], mode: 'all' },
    { type: 'wait', seconds: 60 },
    { type: 'notify', targets: [{ type: 'supervisors', teamId: 't1' }], mode: 'all' },
  ],
};

describe('advance', () => {
  it('runs immediate steps up to the next wait and says when to continue', () => {
    const r = advance(threeTier, START_CURSOR, { at: t0, severity: 'critical', directory });
    expect(r.effects).toEqual([
      { kind: 'notify', step: 0, round: 0, staffId: 'a', contact: { methodId: 'm1', channel: 'email' } },
    ]);
    expect(r.next).toEqual({ cursor: { step: 2, round: 0, repeats: {} }, dueAt: plus(60) });
  });

  it('rotates round-robin targets by round and skips inactive people', () => {
    const p: PolicyDefinition = {
      ...threeTier,
      steps: [
        {
          type: 'notify',
          targets: [
            { type: 'team', teamId: 't1' },
            { type: 'staff', staffId: 'gone' },
          ],
          mode: 'round_robin',
        },
        { type: 'wait', seconds: 10 },
        { type: 'repeat', fromStep: 0, times: 3 },
      ],
    };
    const sim = simulate(p, directory, { severity: 'high', startAt: t0, acknowledgements: [] });
    expect(
      sim.events.filter((e) => e.kind === 'notify').map((e) => (e.kind === 'notify' ? e.staffId : '')),
    ).toEqual(['a', 'b', 'c', 'a']);
  });

  it('applies notify_if on severity and on the recipient’s local time', () => {
    const p: PolicyDefinition = {
      ...threeTier,
      steps: [
        {
          type: 'notify_if',
          condition: { type: 'severity_at_least', severity: 'high' },
          targets: [{ type: 'staff', staffId: 'a' }],
          mode: 'all',
        },
        {
          type: 'notify_if',
          condition: { type: 'local_time_between', from: '08:00', to: '20:00' },
          targets: [
            { type: 'staff', staffId: 'night' },
            { type: 'staff', staffId: 'b' },
          ],
          mode: 'all',
        },
      ],
    };
    // 10:00Z is 14:30 in Kabul and 10:00 UTC for b (no zone given).
    const high = advance(p, START_CURSOR, { at: t0, severity: 'high', directory });
    expect(high.effects.map((e) => (e.kind === 'notify' ? e.staffId : e.kind))).toEqual(['a', 'night', 'b']);
    const low = advance(p, START_CURSOR, {
      at: new Date('2025-06-01T18:00:00Z'),
      severity: 'low',
      directory,
    });
    expect(low.effects.map((e) => (e.kind === 'notify' ? e.staffId : e.kind))).toEqual(['b']); // 22:30 in Kabul
  });

  it('marks overdue, notifies admins and ends the run', () => {
    const p: PolicyDefinition = {
      ...threeTier,
      steps: [{ type: 'wait', seconds: 5 }, { type: 'mark_overdue' }],
    };
    const r = advance(p, { step: 1, round: 0, repeats: {} }, { at: t0, severity: 'low', directory });
    expect(r).toEqual({
      effects: [
        { kind: 'notify', step: 1, round: 0, staffId: 'adm', contact: null },
        { kind: 'mark_overdue', step: 1, round: 0 },
      ],
      next: null,
      overdue: true,
    });
  });
});

describe('simulate', () => {
  it('notifies tier 1, tier 2 after the wait, and stops at the acknowledgement', () => {
    const sim = simulate(threeTier, directory, {
      severity: 'critical',
      startAt: t0,
      acknowledgements: [{ at: plus(90), by: 'b' }],
    });
    expect(sim.events).toEqual([
      { at: t0, kind: 'notify', step: 0, round: 0, staffId: 'a', channel: 'email' },
      { at: plus(60), kind: 'notify', step: 2, round: 0, staffId: 'b', channel: 'webhook' },
      { at: plus(90), kind: 'acknowledged', by: 'b' },
    ]);
    expect(sim.finalState).toBe('acknowledged');
  });

  it('re-activates after the acknowledgement timeout and restarts the policy in a new round', () => {
    const sim = simulate({ ...threeTier, ackTimeoutSeconds: 600 }, directory, {
      severity: 'critical',
      startAt: t0,
      acknowledgements: [
        { at: plus(30), by: 'a' },
        { at: plus(700), by: 'a' },
      ],
    });
    expect(
      sim.events.map((e) => [
        e.kind,
        (e.at.getTime() - t0.getTime()) / 1000,
        e.kind === 'notify' ? `${e.staffId}@${e.round}` : '',
      ]),
    ).toEqual([
      ['notify', 0, 'a@0'],
      ['acknowledged', 30, ''],
      ['reactivated', 630, ''],
      ['notify', 630, 'a@1'],
      ['notify', 690, 'b@1'],
      ['acknowledged', 700, ''],
      ['reactivated', 1300, ''],
      ['notify', 1300, 'a@2'],
      ['notify', 1360, 'b@2'],
      ['notify', 1420, 'sup@2'],
      ['exhausted', 1420, ''],
    ]);
  });

  it('ends exhausted when nobody acknowledges', () => {
    expect(
      simulate(threeTier, directory, { severity: 'low', startAt: t0, acknowledgements: [] }).finalState,
    ).toBe('exhausted');
  });
});

describe('run state machine', () => {
  it('allows snoozing only active runs, bounded by the policy', () => {
    expect(decideRunCommand('active', { kind: 'snooze', seconds: 60, maxSeconds: 600 })).toEqual({
      ok: true,
      next: 'snoozed',
      changed: true,
    });
    expect(decideRunCommand('active', { kind: 'snooze', seconds: 601, maxSeconds: 600 })).toMatchObject({
      ok: false,
      reason: 'escalation/snooze_too_long',
    });
    expect(decideRunCommand('acknowledged', { kind: 'snooze', seconds: 60, maxSeconds: 600 })).toMatchObject({
      ok: false,
      reason: 'escalation/not_snoozable',
    });
  });

  it('makes resolve final and idempotent', () => {
    expect(decideRunCommand('resolved', { kind: 'resolve' })).toEqual({
      ok: true,
      next: 'resolved',
      changed: false,
    });
    expect(decideRunCommand('resolved', { kind: 'acknowledge' })).toMatchObject({
      ok: false,
      reason: 'escalation/resolved',
    });
    expect(dueAction('resolved')).toBe('nothing');
    expect(dueAction('acknowledged')).toBe('reactivate');
  });
});
