import { evaluateTriage } from './evaluate';
import { openCaseChange, raiseCaseChange, reopenCaseChange } from './case-merge';
import { BUILT_IN_RULE_SET, TeamRouting, TriageRuleSet } from './rules';
import { raiseSeverity } from './severity';
import { TriageReason, validateRuleSet } from './validate';

const teams: TeamRouting[] = [
  { id: 'team-de', name: 'Germany', regions: ['DE', 'AT'], languages: ['de'] },
  { id: 'team-dari', name: 'Dari desk', regions: [], languages: ['prs', 'fa'] },
  { id: 'team-default', name: 'Intake', regions: [], languages: [] },
];

const ruleSet: TriageRuleSet = {
  rules: [
    {
      name: 'kill list',
      when: { category: ['kill_list'] },
      then: {
        severity: 'critical',
        route: { kind: 'team', teamId: 'team-de' },
        policyId: null,
        deadlineMinutes: 10,
      },
    },
    {
      name: 'named',
      when: { namedOnList: true, perpetrator: ['regime_intelligence'] },
      then: { severity: 'high', route: { kind: 'by_region' }, policyId: null, deadlineMinutes: 30 },
    },
    {
      name: 'silent',
      when: { noHints: true },
      then: { severity: 'critical', route: { kind: 'by_region' }, policyId: null, deadlineMinutes: 20 },
    },
  ],
  default: { severity: 'low', route: { kind: 'by_region' }, policyId: null, deadlineMinutes: 600 },
  defaultTeamId: 'team-default',
};

describe('evaluateTriage', () => {
  it('applies the first matching rule and explains why earlier ones did not match', () => {
    const d = evaluateTriage(
      ruleSet,
      { category: 'surveillance', namedOnList: true, perpetrator: 'regime_intelligence', country: 'AT' },
      teams,
    );
    expect(d).toMatchObject({
      severity: 'high',
      teamId: 'team-de',
      routedBy: 'region',
      matched: 1,
      ruleName: 'named',
      deadlineMinutes: 30,
    });
    expect(d.explanation[0]).toContain('rules[0] "kill list" did not match: category is surveillance');
    expect(d.explanation[1]).toContain('rules[1] "named" matched');
  });

  it('routes by region, then language, then the default team', () => {
    expect(evaluateTriage(ruleSet, { category: 'other', country: 'DE' }, teams).teamId).toBe('team-de');
    expect(
      evaluateTriage(ruleSet, { category: 'other', country: 'SE', language: 'prs' }, teams),
    ).toMatchObject({ teamId: 'team-dari', routedBy: 'language' });
    expect(evaluateTriage(ruleSet, { category: 'other', country: 'SE' }, teams)).toMatchObject({
      teamId: 'team-default',
      routedBy: 'default_team',
    });
  });

  it('falls back to the default outcome when nothing matches', () => {
    expect(evaluateTriage(ruleSet, { category: 'online_harassment' }, teams)).toMatchObject({
      matched: 'default',
      severity: 'low',
    });
  });

  it('never treats a report without hints below high, even under a low default', () => {
    const noRules = { ...ruleSet, rules: [] };
    const d = evaluateTriage(noRules, null, teams);
    expect(d.severity).toBe('high');
    expect(d.explanation.join('\n')).toContain('never deprioritised');
    expect(evaluateTriage(ruleSet, null, teams)).toMatchObject({ severity: 'critical', matched: 2 });
  });

  it('has a built-in rule set that treats kill lists as critical', () => {
    expect(evaluateTriage(BUILT_IN_RULE_SET, { category: 'kill_list' }, teams).severity).toBe('critical');
    expect(evaluateTriage(BUILT_IN_RULE_SET, { category: 'other' }, teams).severity).toBe('medium');
  });
});

describe('cases and repeated reports', () => {
  const at = (m: number): Date => new Date(Date.UTC(2026, 0, 1, 0, m));

  it('raises a new case one level when the reporter warned within the window', () => {
    expect(
      openCaseChange({ severity: 'medium', deadlineAt: at(60), reason: 'report', repeat: true }),
    ).toMatchObject({ severity: 'high', reasons: ['report', 'repeat_report'] });
    expect(raiseSeverity('critical')).toBe('critical');
  });

  it('never lowers an open case and takes the earlier deadline', () => {
    const open = { severity: 'high' as const, deadlineAt: at(30), reasons: ['report' as const] };
    expect(
      raiseCaseChange(open, { severity: 'low', deadlineAt: at(600), reason: 'report', repeat: false }),
    ).toMatchObject({ severity: 'high', deadlineAt: at(30), escalated: false });
    expect(
      raiseCaseChange(open, { severity: 'low', deadlineAt: at(10), reason: 'report', repeat: true }),
    ).toMatchObject({ severity: 'critical', deadlineAt: at(10), escalated: true });
  });

  it('reopens a resolved case for a critical signal only, with the new deadline and the reasons of both', () => {
    const resolved = { severity: 'high' as const, deadlineAt: at(1), reasons: ['report' as const] };
    expect(
      reopenCaseChange(resolved, {
        severity: 'critical',
        deadlineAt: at(90),
        reason: 'panic',
        repeat: false,
      }),
    ).toEqual({ severity: 'critical', deadlineAt: at(90), reasons: ['report', 'panic'], escalated: true });
    // A repeat raises a high report to critical: that reopens too.
    expect(
      reopenCaseChange(resolved, { severity: 'high', deadlineAt: at(90), reason: 'report', repeat: true }),
    ).toMatchObject({ severity: 'critical', reasons: ['report', 'repeat_report'] });
    expect(
      reopenCaseChange(resolved, { severity: 'high', deadlineAt: at(90), reason: 'report', repeat: false }),
    ).toBeNull();
  });
});

describe('validateRuleSet', () => {
  const refs = { teamExists: (id: string) => teams.some((t) => t.id === id), policyExists: () => false };
  const valid = { ...ruleSet, rules: ruleSet.rules.map((r) => ({ ...r })) };

  it('accepts a valid rule set', () => {
    expect(validateRuleSet(valid, refs).ok).toBe(true);
  });

  it.each([
    ['an unknown field', { ...valid, extra: 1 }, 'extra', TriageReason.InvalidRuleSet],
    [
      'an unknown condition field',
      { ...valid, rules: [{ ...valid.rules[0], when: { colour: ['red'] } }] },
      'rules[0].when.colour',
      TriageReason.InvalidRuleSet,
    ],
    [
      'an unknown hint value',
      { ...valid, rules: [{ ...valid.rules[0], when: { category: ['kill_list', 'pizza'] } }] },
      'rules[0].when.category[1]',
      TriageReason.InvalidRuleSet,
    ],
    [
      'a missing default',
      { rules: valid.rules, defaultTeamId: 'team-default' },
      'default',
      TriageReason.MissingDefault,
    ],
    [
      'an empty list',
      { ...valid, rules: [{ ...valid.rules[0], when: { country: [] } }] },
      'rules[0].when.country',
      TriageReason.InvalidRuleSet,
    ],
    [
      'noHints with a hint condition',
      { ...valid, rules: [{ ...valid.rules[0], when: { noHints: true, category: ['kill_list'] } }] },
      'rules[0].when.category',
      TriageReason.ImpossibleCondition,
    ],
    [
      'an unreachable rule',
      { ...valid, rules: [{ ...valid.rules[0], when: {} }, valid.rules[1]] },
      'rules[1]',
      TriageReason.UnreachableRule,
    ],
    [
      'a low severity for silent reporters',
      { ...valid, rules: [{ ...valid.rules[2], then: { ...valid.rules[2].then, severity: 'low' } }] },
      'rules[0].then.severity',
      TriageReason.DeprioritisesSilence,
    ],
    [
      'an unknown team',
      {
        ...valid,
        rules: [
          { ...valid.rules[0], then: { ...valid.rules[0].then, route: { kind: 'team', teamId: 'nope' } } },
        ],
      },
      'rules[0].then.route.teamId',
      TriageReason.UnknownTeam,
    ],
    [
      'an unknown policy',
      { ...valid, default: { ...valid.default, policyId: 'p1' } },
      'default.policyId',
      TriageReason.UnknownPolicy,
    ],
    [
      'an unknown default team',
      { ...valid, defaultTeamId: 'nope' },
      'defaultTeamId',
      TriageReason.UnknownTeam,
    ],
  ])('refuses %s with the path of the bad field', (_what, input, path, reason) => {
    const result = validateRuleSet(input, refs);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.path)).toContain(path);
    expect(result.reason).toBe(reason);
  });
});
