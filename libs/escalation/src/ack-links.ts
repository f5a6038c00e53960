import { createHmac } from 'node:crypto';
import { tokenDigest } from '@panah/security';

/**
 * One-click acknowledgement links. The token is an HMAC of (run, recipient) under the server's
 * TOKEN_KEY: unguessable, the same in every notification of that run to that person, and
 * recomputable at delivery time, so the plain token is never stored (only its digest, for lookup).
 * It rides in the URL fragment, which browsers never send to a server or a proxy log; the console
 * page reads it after the person has signed in and posts it to the acknowledge endpoint.
 */
export function ackToken(tokenKey: string, runId: string, recipientId: string): string {
  return `pk_${createHmac('sha256', Buffer.from(tokenKey, 'base64url')).update(`panah/v1/ack-link/${runId}/${recipientId}`).digest('base64url')}`;
}

export function ackTokenDigest(tokenKey: string, token: string): string {
  return tokenDigest(token, tokenKey);
}

export function ackLink(publicUrl: string, token: string): string {
  return `${publicUrl}/ack#${token}`;
}

export const ACK_TOKEN_PATTERN = /^pk_[A-Za-z0-9_-]{43}$/;

/**
 * Where a case update points: the console's case page, the case id in the fragment (never in a
 * request line or a log); the console opens the case after sign-in, with the reader's own rights.
 */
export function caseLink(publicUrl: string, caseId: string): string {
  return `${publicUrl}/case#${caseId}`;
}
