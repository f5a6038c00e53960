import type { FieldProblem } from '../errors';
import { isCountryCode } from './countries';

/**
 * Triage hints: the few facts a reporter may choose to share in the clear so that a report can
 * be prioritised before anyone decrypts it. Everything else stays inside the encrypted envelope.
 * The vocabulary is closed: an unknown value is refused, never stored, so triage rules can be
 * checked against it.
 */
export const HINT_CATEGORIES = [
  'kill_list',
  'direct_threat',
  'surveillance',
  'family_threatened',
  'abduction_attempt',
  'deportation_risk',
  'online_harassment',
  'other',
] as const;
export type HintCategory = (typeof HINT_CATEGORIES)[number];

export const HINT_IMMINENCE = ['now', 'days', 'weeks', 'unknown'] as const;
export type HintImminence = (typeof HINT_IMMINENCE)[number];

export const HINT_PERPETRATORS = [
  'regime_intelligence',
  'regime_other',
  'host_state',
  'criminal',
  'unknown',
] as const;
export type HintPerpetrator = (typeof HINT_PERPETRATORS)[number];

/**
 * ISO 639 codes of the languages reporters and teams work in: the reporters' own (Dari `prs`,
 * Pashto `ps`, Persian `fa`, and neighbours) and the main host-country languages. A closed list so
 * that a team's languages and a report's language are always spelled the same way.
 */
export const HINT_LANGUAGES = [
  'prs',
  'ps',
  'fa',
  'haz',
  'uz',
  'tk',
  'tg',
  'bal',
  'ku',
  'ar',
  'ur',
  'en',
  'de',
  'fr',
  'nl',
  'sv',
  'nb',
  'da',
  'it',
  'es',
  'el',
  'pl',
  'tr',
  'ru',
] as const;
export type HintLanguage = (typeof HINT_LANGUAGES)[number];

export interface TriageHints {
  readonly category?: HintCategory;
  readonly imminence?: HintImminence;
  /** ISO 3166-1 alpha-2, upper case: the reporter's country of residence. */
  readonly country?: string;
  readonly perpetrator?: HintPerpetrator;
  readonly namedOnList?: boolean;
  readonly language?: HintLanguage;
}

export const HINT_FIELDS = [
  'category',
  'imminence',
  'country',
  'perpetrator',
  'namedOnList',
  'language',
] as const;
export type HintField = (typeof HINT_FIELDS)[number];

/** Stable reason codes for refused hints (part of the API contract). */
export const HintsReason = {
  NotAnObject: 'hints/not_an_object',
  UnknownField: 'hints/unknown_field',
  UnknownValue: 'hints/unknown_value',
} as const;

export type HintsValidation =
  | { readonly ok: true; readonly hints: TriageHints | null }
  | { readonly ok: false; readonly reason: string; readonly problems: readonly FieldProblem[] };

const oneOf = <T extends string>(list: readonly T[], value: unknown): value is T =>
  typeof value === 'string' && (list as readonly string[]).includes(value);

/**
 * Validates untrusted hints. `undefined`/`null` and `{}` mean "no hints given" (null), which
 * triage treats as at least `high`. Problems name their path under `prefix` and never echo the
 * submitted value. The result is a fresh object with fields in a fixed order (canonical JSON).
 */
export function validateHints(input: unknown, prefix = 'hints'): HintsValidation {
  if (input === undefined || input === null) return { ok: true, hints: null };
  if (typeof input !== 'object' || Array.isArray(input)) {
    return {
      ok: false,
      reason: HintsReason.NotAnObject,
      problems: [{ path: prefix, message: 'must be an object' }],
    };
  }
  const raw = input as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  let reason: string = HintsReason.UnknownValue;
  for (const key of Object.keys(raw)) {
    if (!(HINT_FIELDS as readonly string[]).includes(key)) {
      problems.push({ path: `${prefix}.${key}`, message: 'is not a known hint' });
      reason = HintsReason.UnknownField;
    }
  }
  const check = (field: HintField, ok: boolean, message: string): void => {
    if (raw[field] !== undefined && !ok) problems.push({ path: `${prefix}.${field}`, message });
  };
  check('category', oneOf(HINT_CATEGORIES, raw.category), `must be one of ${HINT_CATEGORIES.join(', ')}`);
  check('imminence', oneOf(HINT_IMMINENCE, raw.imminence), `must be one of ${HINT_IMMINENCE.join(', ')}`);
  check('country', isCountryCode(raw.country), 'must be an ISO 3166-1 alpha-2 code in upper case');
  check(
    'perpetrator',
    oneOf(HINT_PERPETRATORS, raw.perpetrator),
    `must be one of ${HINT_PERPETRATORS.join(', ')}`,
  );
  check('namedOnList', typeof raw.namedOnList === 'boolean', 'must be true or false');
  check('language', oneOf(HINT_LANGUAGES, raw.language), `must be one of ${HINT_LANGUAGES.join(', ')}`);
  if (problems.length > 0) return { ok: false, reason, problems };

  const hints: { -readonly [K in keyof TriageHints]: TriageHints[K] } = {};
  for (const field of HINT_FIELDS) {
    if (raw[field] !== undefined) (hints as Record<string, unknown>)[field] = raw[field];
  }
  return { ok: true, hints: Object.keys(hints).length === 0 ? null : hints };
}

/** Canonical JSON of validated hints (fixed field order), for storage and idempotency digests. */
export function canonicalHintsJson(hints: TriageHints | null): string {
  if (hints === null) return 'null';
  const ordered: Record<string, unknown> = {};
  for (const field of HINT_FIELDS) if (hints[field] !== undefined) ordered[field] = hints[field];
  return JSON.stringify(ordered);
}
