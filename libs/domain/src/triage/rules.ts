import type { HintCategory, HintImminence, HintLanguage, HintPerpetrator } from '../intake/hints';
import type { Severity } from './severity';

/**
 * A condition over the hints. Every field given must match (AND); a list matches any of its
 * values (OR). A condition on a hint the reporter did not give does not match. `noHints: true`
 * matches only reports without hints, `false` only reports with some. `{}` matches every report.
 */
export interface TriageCondition {
  readonly category?: readonly HintCategory[];
  readonly imminence?: readonly HintImminence[];
  readonly country?: readonly string[];
  readonly perpetrator?: readonly HintPerpetrator[];
  readonly namedOnList?: boolean;
  readonly language?: readonly HintLanguage[];
  readonly noHints?: boolean;
}

/** Where a case goes: a fixed team, or by region, then language, then the default team. */
export type TriageRoute = { readonly kind: 'team'; readonly teamId: string } | { readonly kind: 'by_region' };

export interface TriageOutcome {
  readonly severity: Severity;
  readonly route: TriageRoute;
  /** Escalation policy; null until escalation policies exist or when none is wanted. */
  readonly policyId: string | null;
  /** Minutes from triage until the case must be acknowledged. */
  readonly deadlineMinutes: number;
}

export interface TriageRule {
  /** Optional admin-chosen name, shown in dry runs and stored on the case. */
  readonly name?: string;
  readonly when: TriageCondition;
  readonly then: TriageOutcome;
}

/** An ordered rule list, first match wins, with a mandatory default outcome. */
export interface TriageRuleSet {
  readonly rules: readonly TriageRule[];
  readonly default: TriageOutcome;
  /** Team for `by_region` when neither region nor language matches, and for `triage_failed`. */
  readonly defaultTeamId: string | null;
}

/** What routing needs to know about a team (owned by identity; read by triage). */
export interface TeamRouting {
  readonly id: string;
  readonly name: string;
  readonly regions: readonly string[];
  readonly languages: readonly string[];
}

export const MAX_RULES = 200;
export const MAX_DEADLINE_MINUTES = 7 * 24 * 60;

/**
 * Used while no admin has activated a rule set: nothing is deprioritised (medium by default,
 * high without hints through the floor), routing by region and language.
 */
export const BUILT_IN_RULE_SET: TriageRuleSet = {
  rules: [
    {
      name: 'named on a kill list or acute danger',
      when: { category: ['kill_list', 'abduction_attempt'] },
      then: { severity: 'critical', route: { kind: 'by_region' }, policyId: null, deadlineMinutes: 15 },
    },
    {
      name: 'imminent',
      when: { imminence: ['now'] },
      then: { severity: 'critical', route: { kind: 'by_region' }, policyId: null, deadlineMinutes: 15 },
    },
  ],
  default: { severity: 'medium', route: { kind: 'by_region' }, policyId: null, deadlineMinutes: 240 },
  defaultTeamId: null,
};
