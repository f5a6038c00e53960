import { expandedLength, validatePolicy, type KnownTargets } from './policy';

const known: KnownTargets = {
  staffIds: new Set(['s1', 's2']),
  teamIds: new Set(['t1']),
  onCallTeamIds: new Set(['t1']),
};
const notify = { type: 'notify', targets: [{ type: 'staff', staffId: 's1' }] };

function problems(input: unknown): { path: string; message: string }[] {
  const r = validatePolicy(input, known);
  return r.ok ? [] : [...r.problems];
}

describe('validatePolicy', () => {
  it('accepts a three-tier policy and fills defaults', () => {
    const r = validatePolicy(
      {
        steps: [
          notify,
          { type: 'wait', seconds: 300 },
          { type: 'notify', targets: [{ type: 'on_call', teamId: 't1' }], mode: 'round_robin' },
          { type: 'wait', seconds: 300 },
          { type: 'repeat', fromStep: 0, times: 2 },
          { type: 'mark_overdue' },
        ],
      },
      known,
    );
    expect(r.ok).toBe(true);
    if (r.ok)
      expect(r.policy).toMatchObject({
        ackTimeoutSeconds: null,
        maxSnoozeSeconds: 3600,
        steps: expect.arrayContaining([expect.objectContaining({ mode: 'all' })]),
      });
  });

  it('rejects steps after mark_overdue as unreachable, with the path', () => {
    expect(problems({ steps: [notify, { type: 'mark_overdue' }, notify] })).toEqual([
      { path: 'steps[2]', message: expect.stringContaining('unreachable') },
    ]);
  });

  it('rejects a repeat that jumps forward or to itself', () => {
    expect(
      problems({ steps: [notify, { type: 'wait', seconds: 5 }, { type: 'repeat', fromStep: 2, times: 1 }] }),
    ).toEqual([{ path: 'steps[2].fromStep', message: 'must name an earlier step' }]);
  });

  it('rejects infinite repeats: unbounded times, and loops without a wait', () => {
    expect(
      problems({
        steps: [notify, { type: 'wait', seconds: 5 }, { type: 'repeat', fromStep: 0, times: 1_000_000 }],
      }).map((p) => p.path),
    ).toEqual(['steps[2].times']);
    expect(
      problems({ steps: [{ type: 'wait', seconds: 5 }, notify, { type: 'repeat', fromStep: 1, times: 3 }] }),
    ).toEqual([{ path: 'steps[2]', message: expect.stringContaining('without a wait') }]);
  });

  it('rejects unknown targets by path', () => {
    expect(
      problems({
        steps: [
          {
            type: 'notify',
            targets: [
              { type: 'staff', staffId: 'nobody' },
              { type: 'team', teamId: 'tx' },
              { type: 'on_call', teamId: 'tx' },
              { type: 'supervisors', teamId: 't1' },
            ],
          },
        ],
      }).map((p) => p.path),
    ).toEqual(['steps[0].targets[0].staffId', 'steps[0].targets[1].teamId', 'steps[0].targets[2].teamId']);
  });

  it('rejects malformed shapes with field paths and never echoes the values', () => {
    const out = problems({
      steps: [{ type: 'wait', seconds: -1 }, { type: 'notify', targets: [] }, { type: 'explode' }],
      extra: 'canary-xyz',
    });
    expect(out.map((p) => p.path)).toEqual(
      expect.arrayContaining(['steps[0].seconds', 'steps[1].targets', 'steps[2].type']),
    );
    expect(JSON.stringify(out)).not.toContain('canary-xyz');
  });

  it('rejects a policy that notifies nobody', () => {
    expect(problems({ steps: [{ type: 'wait', seconds: 5 }] })).toEqual([
      { path: 'steps', message: 'notifies nobody' },
    ]);
  });

  it('bounds nested repeats by their expanded length', () => {
    const inner = {
      steps: [
        notify,
        { type: 'wait', seconds: 1 },
        { type: 'repeat', fromStep: 0, times: 10 },
        { type: 'repeat', fromStep: 0, times: 10 },
      ],
    };
    expect(expandedLength(validatePolicyOk(inner))).toBeGreaterThan(100);
    const outer = { steps: [...inner.steps, { type: 'repeat', fromStep: 0, times: 10 }] };
    expect(problems(outer)).toEqual([
      { path: 'steps', message: expect.stringContaining('expands to more than') },
    ]);
  });
});

function validatePolicyOk(input: unknown) {
  const r = validatePolicy(input, known);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.policy;
}
