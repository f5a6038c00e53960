/**
 * Sign-in throttling. Attempts are counted per login name (known or not, so the limit itself
 * reveals nothing) and per keyed hash of the source; a success clears the account's count.
 */
export const LOGIN_ACCOUNT_LIMIT = 5;
export const LOGIN_SOURCE_LIMIT = 60;
export const LOGIN_WINDOW_MS = 15 * 60_000;

/**
 * Delay before answering a failed attempt, growing with the attempts already made in the window:
 * the first two are free (typos), then 0.5 s, 1 s, 2 s … capped at 8 s, after which the hard
 * limit answers 429 until the window ends.
 */
export function loginFailureDelayMs(attemptsInWindow: number): number {
  if (attemptsInWindow <= 2) return 0;
  return Math.min(500 * 2 ** (attemptsInWindow - 3), 8_000);
}
