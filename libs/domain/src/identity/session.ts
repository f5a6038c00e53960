/** Staff sessions end after 30 minutes without use, and 12 hours after sign-in regardless. */
export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60_000;

export type SessionState = 'live' | 'revoked' | 'idle_expired' | 'absolute_expired';

export interface SessionFacts {
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
  readonly revokedAt: Date | null;
}

export function sessionState(s: SessionFacts, now: Date): SessionState {
  if (s.revokedAt) return 'revoked';
  if (now.getTime() - s.createdAt.getTime() >= SESSION_ABSOLUTE_MS) return 'absolute_expired';
  if (now.getTime() - s.lastSeenAt.getTime() >= SESSION_IDLE_MS) return 'idle_expired';
  return 'live';
}

/** When a live session ends if it stays unused from now on. */
export function sessionExpiresAt(s: SessionFacts): Date {
  return new Date(
    Math.min(s.createdAt.getTime() + SESSION_ABSOLUTE_MS, s.lastSeenAt.getTime() + SESSION_IDLE_MS),
  );
}
