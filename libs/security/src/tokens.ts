import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Opaque bearer tokens: a kind prefix and 256 random bits, e.g. `ps_…` (staff session),
 * `pr_…` (reporter session), `pi_…` (invitation). The server stores only `tokenDigest`, so a copy
 * of the database cannot be replayed as sessions.
 */
export const TokenKind = {
  StaffSession: 'ps',
  ReporterSession: 'pr',
  Invitation: 'pi',
  Setup: 'pa',
} as const;
export type TokenKind = (typeof TokenKind)[keyof typeof TokenKind];

const TOKEN = /^(p[a-z])_([A-Za-z0-9_-]{43})$/;

export function newToken(kind: TokenKind): string {
  return `${kind}_${randomBytes(32).toString('base64url')}`;
}

/** The kind of a well-formed token, or null for anything else (never throws on hostile input). */
export function tokenKind(token: string): TokenKind | null {
  const m = TOKEN.exec(token);
  if (!m) return null;
  const kind = m[1] as TokenKind;
  return (Object.values(TokenKind) as string[]).includes(kind) ? kind : null;
}

/** HMAC-SHA256 of a token under the server's TOKEN_KEY, hex; what the database stores. */
export function tokenDigest(token: string, tokenKey: string): string {
  return createHmac('sha256', Buffer.from(tokenKey, 'base64url')).update(token).digest('hex');
}

/** Constant-time string comparison for digests and codes. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * A keyed hash that changes every UTC day: rate-limit buckets for anonymous callers are keyed by
 * it, so counters work without storing anything that identifies a caller for longer than a day.
 */
export function dailyKeyedHash(value: string, tokenKey: string, now = new Date()): string {
  const day = now.toISOString().slice(0, 10);
  return createHmac('sha256', Buffer.from(tokenKey, 'base64url'))
    .update(`${day}\n${value}`)
    .digest('base64url')
    .slice(0, 22);
}
