import { randomBytes } from 'node:crypto';
import { tokenDigest } from '@panah/security';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no I/O/0/1: read aloud, typed from paper
export const RECOVERY_CODE_COUNT = 10;

/** `XXXX-XXXX-XXXX-XXXX`: 16 symbols of 5 bits, 80 bits each. Shown once, stored as digests. */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(16);
    const symbols = [...bytes].map((b) => ALPHABET[b & 31]).join('');
    return symbols.match(/.{4}/g)?.join('-') ?? symbols;
  });
}

/** Case, spaces and dashes do not matter when a code is typed back. */
export function normaliseRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

/** Keyed with TOKEN_KEY: a database copy alone cannot test guesses offline. */
export function recoveryCodeDigest(code: string, tokenKey: string): string {
  return tokenDigest(`recovery:${normaliseRecoveryCode(code)}`, tokenKey);
}
