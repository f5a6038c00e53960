/**
 * Per-channel retry policy: exponential backoff with full jitter, capped; after `maxAttempts`
 * transient failures, or at once after a permanent one, the recipient's next contact method is
 * tried (fallback) instead of retrying a channel that does not work.
 */
export type DeliveryDecision =
  { readonly kind: 'retry'; readonly delayMs: number } | { readonly kind: 'fallback' };

export function afterFailure(
  attempt: number,
  permanent: boolean,
  maxAttempts: number,
  baseMs: number,
  random = Math.random,
): DeliveryDecision {
  if (permanent || attempt >= maxAttempts) return { kind: 'fallback' };
  const ceiling = Math.min(baseMs * 2 ** (attempt - 1), 5 * 60_000);
  // Half fixed, half jitter: never retry instantly, and spread a burst of failures apart.
  return { kind: 'retry', delayMs: Math.round(ceiling / 2 + random() * (ceiling / 2)) };
}
