import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Stateless server challenges: 32 bytes = expiry (uint32 seconds) || difficulty (1 byte) ||
 * 11 random bytes || HMAC-SHA256(serverKey, purpose || subject || first 16 bytes)[0..16).
 * The server keeps nothing until one is used (then a single-use mark until it expires), so issuing
 * them to anyone — known reporter or not — costs no storage and reveals nothing.
 */
export const CHALLENGE_BYTES = 32;

export interface StampedChallenge {
  readonly bytes: Buffer;
  readonly expiresAt: Date;
  readonly difficulty: number;
}

export type ChallengeCheck =
  { ok: true; expiresAt: Date; difficulty: number } | { ok: false; why: 'invalid' | 'expired' };

function mac(key: Buffer, purpose: string, subject: string, head: Buffer): Buffer {
  return createHmac('sha256', key)
    .update(`panah/challenge/${purpose}\n${subject}\n`)
    .update(head)
    .digest()
    .subarray(0, 16);
}

export function issueChallenge(
  key: Buffer,
  purpose: string,
  subject: string,
  ttlSeconds: number,
  difficulty = 0,
  now = Date.now(),
): StampedChallenge {
  const expiry = Math.floor(now / 1000) + ttlSeconds;
  const head = Buffer.alloc(16);
  head.writeUInt32BE(expiry, 0);
  head.writeUInt8(difficulty, 4);
  randomBytes(11).copy(head, 5);
  return {
    bytes: Buffer.concat([head, mac(key, purpose, subject, head)]),
    expiresAt: new Date(expiry * 1000),
    difficulty,
  };
}

export function checkChallenge(
  key: Buffer,
  purpose: string,
  subject: string,
  bytes: Uint8Array,
  now = Date.now(),
): ChallengeCheck {
  if (bytes.length !== CHALLENGE_BYTES) return { ok: false, why: 'invalid' };
  const buf = Buffer.from(bytes);
  const head = buf.subarray(0, 16);
  if (!timingSafeEqual(mac(key, purpose, subject, head), buf.subarray(16)))
    return { ok: false, why: 'invalid' };
  const expiry = head.readUInt32BE(0);
  if (expiry * 1000 <= now) return { ok: false, why: 'expired' };
  return { ok: true, expiresAt: new Date(expiry * 1000), difficulty: head.readUInt8(4) };
}
