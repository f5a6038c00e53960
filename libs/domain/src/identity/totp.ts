/** RFC 6238 as every authenticator app does it: SHA-1, 6 digits, 30 s steps, ±1 step of drift. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
export const TOTP_DRIFT_STEPS = 1;
/** 20 random bytes, base32 without padding (what authenticator apps expect). */
export const TOTP_SECRET_PATTERN = /^[A-Z2-7]{32}$/;
export const TOTP_CODE_PATTERN = /^[0-9]{6}$/;

export function totpStep(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/**
 * A code is accepted only for a time step later than the last one this account used, so a code
 * seen over a shoulder or replayed from a log cannot sign in a second time within its window.
 */
export function totpStepAcceptable(matchedStep: number, lastUsedStep: number | null): boolean {
  return Number.isSafeInteger(matchedStep) && (lastUsedStep === null || matchedStep > lastUsedStep);
}
