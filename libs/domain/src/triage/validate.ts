import { z } from 'zod';
import type { FieldProblem } from '../errors';
import { COUNTRY_CODES } from '../intake/countries';
import { HINT_CATEGORIES, HINT_IMMINENCE, HINT_LANGUAGES, HINT_PERPETRATORS } from '../intake/hints';
import { describeCondition } from './evaluate';
import { MAX_DEADLINE_MINUTES, MAX_RULES, TriageCondition, TriageRuleSet } from './rules';
import { NO_HINTS_FLOOR, SEVERITIES, severityRank } from './severity';

/** Stable reason codes of refused rule sets. */
export const TriageReason = {
  InvalidRuleSet: 'triage/invalid_rule_set',
  MissingDefault: 'triage/missing_default',
  ImpossibleCondition: 'triage/impossible_condition',
  UnreachableRule: 'triage/unreachable_rule',
  DeprioritisesSilence: 'triage/deprioritises_no_hints',
  UnknownTeam: 'triage/unknown_team',
  UnknownPolicy: 'triage/unknown_policy',
} as const;

const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be an id');
const list = <T extends string>(values: readonly [T, ...T[]]) =>
  z.array(z.enum(values)).min(1, 'must not be empty (it could never match)').max(300);

const condition = z
  .object({
    category: list(HINT_CATEGORIES as unknown as [string, ...string[]]).optional(),
    imminence: list(HINT_IMMINENCE as unknown as [string, ...string[]]).optional(),
    country: list([...COUNTRY_CODES] as [string, ...string[]]).optional(),
    perpetrator: list(HINT_PERPETRATORS as unknown as [string, ...string[]]).optional(),
    namedOnList: z.boolean().optional(),
    language: list(HINT_LANGUAGES as unknown as [string, ...string[]]).optional(),
    noHints: z.boolean().optional(),
  })
  .strict();

const routeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('team'), teamId: id }).strict(),
  z.object({ kind: z.literal('by_region') }).strict(),
]);

const outcome = z
  .object({
    severity: z.enum(SEVERITIES),
    route: routeSchema,
    policyId: id.nullable().default(null),
    deadlineMinutes: z.number().int().min(1).max(MAX_DEADLINE_MINUTES),
  })
  .strict();

const ruleSetSchema = z
  .object({
    rules: z
      .array(
        z.object({ name: z.string().min(1).max(120).optional(), when: condition, then: outcome }).strict(),
      )
      .max(MAX_RULES),
    default: outcome,
    defaultTeamId: id,
  })
  .strict();

export interface RuleSetReferences {
  readonly teamExists: (teamId: string) => boolean;
  readonly policyExists: (policyId: string) => boolean;
}

export type RuleSetValidation =
  | { readonly ok: true; readonly ruleSet: TriageRuleSet }
  | { readonly ok: false; readonly reason: string; readonly problems: readonly FieldProblem[] };

export function ruleSetPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

/**
 * Validates a whole rule set an admin submits: structure (unknown fields, vocabulary, ranges),
 * then meaning (impossible conditions, unreachable rules, a rule deprioritising reporters who
 * share no hints), then references (teams and policies must exist). Every problem has a path.
 */
export function validateRuleSet(input: unknown, refs: RuleSetReferences): RuleSetValidation {
  const parsed = ruleSetSchema.safeParse(input);
  if (!parsed.success) {
    const problems: FieldProblem[] = [];
    let reason: string = TriageReason.InvalidRuleSet;
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys)
          problems.push({ path: ruleSetPath([...issue.path, key]), message: 'is not a known field' });
        continue;
      }
      const path = ruleSetPath(issue.path);
      if (path === 'default' && issue.code === 'invalid_type') reason = TriageReason.MissingDefault;
      problems.push({ path: path || '(root)', message: issue.message });
    }
    return { ok: false, reason, problems };
  }
  const ruleSet = parsed.data as TriageRuleSet;
  const problems: { reason: string; problem: FieldProblem }[] = [];
  const add = (reason: string, path: string, message: string): void => {
    problems.push({ reason, problem: { path, message } });
  };
  let catchAll: number | null = null;
  ruleSet.rules.forEach((rule, i) => {
    const at = `rules[${i}]`;
    impossibility(rule.when).forEach((p) =>
      add(TriageReason.ImpossibleCondition, `${at}.when.${p.field}`, p.message),
    );
    if (catchAll !== null)
      add(TriageReason.UnreachableRule, at, `is unreachable: rules[${catchAll}] matches every report`);
    if (isCatchAll(rule.when) && catchAll === null) catchAll = i;
    if (rule.when.noHints === true && severityRank(rule.then.severity) < severityRank(NO_HINTS_FLOOR)) {
      add(
        TriageReason.DeprioritisesSilence,
        `${at}.then.severity`,
        `must be at least ${NO_HINTS_FLOOR} for reports without hints`,
      );
    }
  });
  const outcomes = [
    ...ruleSet.rules.map((r, i) => ({ at: `rules[${i}].then`, o: r.then })),
    { at: 'default', o: ruleSet.default },
  ];
  for (const { at, o } of outcomes) {
    if (o.route.kind === 'team' && !refs.teamExists(o.route.teamId))
      add(TriageReason.UnknownTeam, `${at}.route.teamId`, 'names no existing team');
    if (o.policyId !== null && !refs.policyExists(o.policyId))
      add(TriageReason.UnknownPolicy, `${at}.policyId`, 'names no existing escalation policy');
  }
  if (ruleSet.defaultTeamId === null || !refs.teamExists(ruleSet.defaultTeamId))
    add(TriageReason.UnknownTeam, 'defaultTeamId', 'names no existing team');
  if (problems.length > 0)
    return { ok: false, reason: problems[0].reason, problems: problems.map((p) => p.problem) };
  return { ok: true, ruleSet };
}

/** Conditions that can never match any report. */
function impossibility(when: TriageCondition): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  if (when.noHints === true) {
    for (const field of [
      'category',
      'imminence',
      'country',
      'perpetrator',
      'namedOnList',
      'language',
    ] as const) {
      if (when[field] !== undefined)
        out.push({ field, message: 'can never match together with noHints: true' });
    }
  }
  for (const field of ['category', 'imminence', 'country', 'perpetrator', 'language'] as const) {
    const values = when[field] as readonly string[] | undefined;
    const dup = values?.find((v, i) => values.indexOf(v) !== i);
    if (dup !== undefined) out.push({ field, message: 'lists a value twice' });
  }
  return out;
}

function isCatchAll(when: TriageCondition): boolean {
  return describeCondition(when) === 'every report';
}
