import type { Request } from 'express';
import { dailyKeyedHash } from '@panah/security';

/**
 * The rate-limit bucket of an anonymous caller: a keyed hash of the connection's address that
 * changes every day. The address itself is never stored or logged (G2); over Tor many reporters
 * share one, so the limits on these buckets are generous and proof of work does the real work.
 * `req.ip` is the socket's address unless TRUST_PROXY names the reverse proxy in front.
 */
export function clientBucket(req: Request, tokenKey: string): string {
  return dailyKeyedHash(req.ip ?? req.socket.remoteAddress ?? 'unknown', tokenKey);
}
