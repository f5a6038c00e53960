import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures. Each request carries
 *
 *   Panah-Timestamp: <unix seconds>
 *   Panah-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 *   Panah-Notification-Id: <uuid>
 *
 * Receivers verify the signature over the exact bytes received, reject a timestamp more than
 * WEBHOOK_REPLAY_WINDOW_SECONDS away from their clock, and remember notification ids for that
 * long to drop replays and our own at-least-once retries.
 */
export const WEBHOOK_REPLAY_WINDOW_SECONDS = 300;
export const SIGNATURE_HEADER = 'panah-signature';
export const TIMESTAMP_HEADER = 'panah-timestamp';
export const NOTIFICATION_ID_HEADER = 'panah-notification-id';

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', Buffer.from(secret, 'base64url')).update(`${timestamp}.${body}`).digest('hex')}`;
}

export type WebhookVerification = 'ok' | 'bad_signature' | 'stale' | 'malformed';

export function verifyWebhook(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
  windowSeconds = WEBHOOK_REPLAY_WINDOW_SECONDS,
): WebhookVerification {
  if (!headers.timestamp || !/^\d{1,12}$/.test(headers.timestamp) || !headers.signature) return 'malformed';
  const ts = Number(headers.timestamp);
  if (Math.abs(nowSeconds - ts) > windowSeconds) return 'stale';
  const expected = Buffer.from(signWebhook(secret, ts, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? 'ok' : 'bad_signature';
}
