/**
 * Sign-in throttling without lockout (issue 18 point 4). Well-formed attempts are counted three
 * ways in a window: per (login name, source), per login name over all sources, and per source over
 * all login names (known or not, so the counts reveal nothing). Past a threshold an attempt must
 * carry a proof of work (crypto-v1 §7's scheme) instead of being refused: an attacker pays for
 * every further guess, and the owner, from another source or not, can always sign in by solving one.
 */
export interface LoginAttemptCounts {
  /** Attempts in the window for this login name from this source, this one included. */
  readonly pair: number;
  /** Attempts in the window for this login name from every source, this one included. */
  readonly account: number;
  /** Attempts in the window from this source for every login name, this one included. */
  readonly source: number;
}

export interface LoginThrottlePolicy {
  /** Free attempts per (login name, source) in a window (LOGIN_FREE_ATTEMPTS). */
  readonly freeAttempts: number;
  /** Difficulty of the first demanded proof of work, in leading zero bits (LOGIN_POW_BITS). */
  readonly powBits: number;
}

/** A login name's attempts from all sources are free up to this many times `freeAttempts`. */
export const LOGIN_ACCOUNT_FACTOR = 4;
/** A source's attempts over all login names are free up to this many times `freeAttempts`. */
export const LOGIN_SOURCE_FACTOR = 12;
/** Doubling the attempts from one source past its threshold adds a bit, up to this many. */
export const LOGIN_POW_MAX_EXTRA_BITS = 6;
export const LOGIN_POW_MAX_BITS = 32;

/**
 * The proof of work this attempt must carry: `null` when it is free, else the difficulty. The work
 * grows with the attempts of this source (for this login name or overall), never with the
 * account-wide count alone, so an attacker elsewhere cannot make the owner's sign-in dearer than
 * the base difficulty.
 */
export function loginWorkRequired(counts: LoginAttemptCounts, policy: LoginThrottlePolicy): number | null {
  const free = Math.max(1, policy.freeAttempts);
  const pairRatio = counts.pair / free;
  const sourceRatio = counts.source / (free * LOGIN_SOURCE_FACTOR);
  const accountRatio = counts.account / (free * LOGIN_ACCOUNT_FACTOR);
  if (pairRatio <= 1 && sourceRatio <= 1 && accountRatio <= 1) return null;
  const ratio = Math.max(pairRatio, sourceRatio);
  const extra = ratio > 1 ? Math.min(LOGIN_POW_MAX_EXTRA_BITS, Math.floor(Math.log2(ratio))) : 0;
  return Math.min(LOGIN_POW_MAX_BITS, policy.powBits + extra);
}
