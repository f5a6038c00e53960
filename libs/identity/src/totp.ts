import { generate, generateSecret, generateURI, verify } from 'otplib';
import { TOTP_CODE_PATTERN, TOTP_DRIFT_STEPS, TOTP_PERIOD_SECONDS, TOTP_SECRET_PATTERN } from '@panah/domain';

/**
 * RFC 6238 through otplib (SHA-1, 6 digits, 30 s). Returns the time step the code matched, or
 * null: the replay rule (a step must be later than the last one used) is the caller's, from
 * @panah/domain, applied atomically against the stored last step.
 */
export async function matchTotp(secret: string, code: string, now = new Date()): Promise<number | null> {
  if (!TOTP_SECRET_PATTERN.test(secret) || !TOTP_CODE_PATTERN.test(code)) return null;
  try {
    const result = await verify({
      secret,
      token: code,
      epoch: Math.floor(now.getTime() / 1000),
      epochTolerance: TOTP_DRIFT_STEPS * TOTP_PERIOD_SECONDS,
    });
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  } catch {
    return null; // malformed input is a failed code, never a 500
  }
}

/** 20 random bytes, base32: what authenticator apps expect. */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** The code for `at` (clients and tests; the server never generates codes). */
export function totpCodeAt(secret: string, at: Date): Promise<string> {
  return generate({ secret, epoch: Math.floor(at.getTime() / 1000) });
}

/** `otpauth://` URI for a QR code or manual entry in an authenticator app. */
export function totpUri(login: string, secret: string): string {
  return generateURI({ issuer: 'Panah', label: login, secret });
}
