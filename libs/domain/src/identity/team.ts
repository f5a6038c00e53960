import { isCountryCode } from '../intake/countries';
import { HINT_LANGUAGES } from '../intake/hints';

/**
 * Teams carry the routing attributes triage matches reports on. They use the same closed
 * vocabularies as the reporter's hints (ISO 3166-1 alpha-2 countries, the HINT_LANGUAGES list),
 * so a team's `prs` and a report's `prs` are the same string.
 */
export function isTeamRegion(code: string): boolean {
  return isCountryCode(code);
}

export function isTeamLanguage(code: string): boolean {
  return (HINT_LANGUAGES as readonly string[]).includes(code);
}

export const TEAM_NAME_MAX = 80;
export const TEAM_MAX_REGIONS = 50;
export const TEAM_MAX_LANGUAGES = 24;
