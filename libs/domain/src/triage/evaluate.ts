import type { TriageHints } from '../intake/hints';
import { TeamRouting, TriageCondition, TriageOutcome, TriageRoute, TriageRuleSet } from './rules';
import { maxSeverity, NO_HINTS_FLOOR, Severity } from './severity';

export interface TriageDecision {
  readonly severity: Severity;
  readonly teamId: string | null;
  readonly policyId: string | null;
  readonly deadlineMinutes: number;
  /** Index of the matching rule, or 'default'. */
  readonly matched: number | 'default';
  readonly ruleName: string | null;
  /** How the team was chosen. */
  readonly routedBy: 'team' | 'region' | 'language' | 'default_team' | 'none';
  /** Human-readable steps for dry runs (rule names and hint field names; never free text). */
  readonly explanation: readonly string[];
}

const LIST_FIELDS = ['category', 'imminence', 'country', 'perpetrator', 'language'] as const;

/** Whether `when` matches, and why not (the first failing field) for explanations. */
export function matchCondition(
  when: TriageCondition,
  hints: TriageHints | null,
): { match: boolean; because: string } {
  if (when.noHints === true && hints !== null)
    return { match: false, because: 'requires no hints, but hints were given' };
  if (when.noHints === false && hints === null)
    return { match: false, because: 'requires hints, but none were given' };
  for (const field of LIST_FIELDS) {
    const wanted = when[field] as readonly string[] | undefined;
    if (wanted === undefined) continue;
    const value = hints?.[field];
    if (value === undefined) return { match: false, because: `${field} not given` };
    if (!wanted.includes(value))
      return { match: false, because: `${field} is ${value}, not one of ${wanted.join(', ')}` };
  }
  if (when.namedOnList !== undefined) {
    const value = hints?.namedOnList;
    if (value === undefined) return { match: false, because: 'namedOnList not given' };
    if (value !== when.namedOnList) return { match: false, because: `namedOnList is ${String(value)}` };
  }
  return { match: true, because: describeCondition(when) };
}

export function describeCondition(when: TriageCondition): string {
  const parts: string[] = [];
  if (when.noHints !== undefined) parts.push(when.noHints ? 'no hints given' : 'some hints given');
  for (const field of LIST_FIELDS) {
    const wanted = when[field] as readonly string[] | undefined;
    if (wanted) parts.push(`${field} in [${wanted.join(', ')}]`);
  }
  if (when.namedOnList !== undefined) parts.push(`namedOnList = ${String(when.namedOnList)}`);
  return parts.length > 0 ? parts.join(' and ') : 'every report';
}

/**
 * Routing: a fixed team, or the first team (by name) whose regions include the reporter's
 * country, else whose languages include their language, else the rule set's default team.
 */
export function routeCase(
  r: TriageRoute,
  hints: TriageHints | null,
  teams: readonly TeamRouting[],
  defaultTeamId: string | null,
): { teamId: string | null; routedBy: TriageDecision['routedBy'] } {
  if (r.kind === 'team') return { teamId: r.teamId, routedBy: 'team' };
  const ordered = [...teams].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const country = hints?.country;
  const byRegion = country ? ordered.find((t) => t.regions.includes(country)) : undefined;
  if (byRegion) return { teamId: byRegion.id, routedBy: 'region' };
  const language = hints?.language;
  const byLanguage = language ? ordered.find((t) => t.languages.includes(language)) : undefined;
  if (byLanguage) return { teamId: byLanguage.id, routedBy: 'language' };
  return defaultTeamId
    ? { teamId: defaultTeamId, routedBy: 'default_team' }
    : { teamId: null, routedBy: 'none' };
}

/** First match wins; the default applies when nothing matches. Pure: also the dry run. */
export function evaluateTriage(
  ruleSet: TriageRuleSet,
  hints: TriageHints | null,
  teams: readonly TeamRouting[],
): TriageDecision {
  const explanation: string[] = [];
  let outcome: TriageOutcome = ruleSet.default;
  let matched: number | 'default' = 'default';
  for (const [i, rule] of ruleSet.rules.entries()) {
    const label = `rules[${i}]${rule.name ? ` "${rule.name}"` : ''}`;
    const m = matchCondition(rule.when, hints);
    if (m.match) {
      explanation.push(`${label} matched: ${m.because}`);
      outcome = rule.then;
      matched = i;
      break;
    }
    explanation.push(`${label} did not match: ${m.because}`);
  }
  if (matched === 'default') explanation.push('no rule matched: the default outcome applies');
  let severity = outcome.severity;
  if (hints === null && maxSeverity(severity, NO_HINTS_FLOOR) !== severity) {
    severity = NO_HINTS_FLOOR;
    explanation.push(`raised to ${NO_HINTS_FLOOR}: a report without hints is never deprioritised`);
  }
  const routed = routeCase(outcome.route, hints, teams, ruleSet.defaultTeamId);
  explanation.push(
    `routed by ${routed.routedBy.replace('_', ' ')}${routed.teamId ? ` to team ${routed.teamId}` : ' (no team)'}`,
  );
  return {
    severity,
    teamId: routed.teamId,
    policyId: outcome.policyId,
    deadlineMinutes: outcome.deadlineMinutes,
    matched,
    ruleName: matched === 'default' ? null : (ruleSet.rules[matched].name ?? null),
    routedBy: routed.routedBy,
    explanation,
  };
}
