import { CryptoFormatError } from './errors';
import { concatBytes, randomBytes, utf8 } from './encoding';
import {
  BoxKeyPair,
  SIGN_PUBLIC_KEY_BYTES,
  SIGN_SECRET_KEY_BYTES,
  SIGNATURE_BYTES,
  SignKeyPair,
} from './keys';
import { Argon2id, reporterKeysFromSeed, sodiumArgon2id } from './pwhash';
import { sodium, wipe } from './sodium';

export const ACCESS_CODE_DIGITS = 20;
export const AUTH_CHALLENGE_BYTES = 32;
/** Spec §3: the INTERACTIVE limits, so that a cheap phone can derive the keys. */
export const REPORTER_PWHASH_OPS = 2;
export const REPORTER_PWHASH_MEM = 67108864;
const AUTH_PREFIX = 'panah/v1/auth/';

/** 20 digits, each `randombytes_uniform(10)` (unbiased), about 66 bits. ASCII, unformatted. */
export function generateAccessCode(): string {
  const s = sodium();
  let code = '';
  for (let i = 0; i < ACCESS_CODE_DIGITS; i++) code += String(s.randombytes_uniform(10));
  return code;
}

/**
 * A duress code is simply a second, independent access code, derived exactly like the first. The
 * client registers its reporterId/public keys against the same reporter; the server treats a
 * sign-in with it as normal-looking plus a critical alert. Guaranteed to differ from `primary`.
 */
export function generateDuressCode(primaryCode: string): string {
  const primary = normaliseAccessCode(primaryCode);
  for (;;) {
    const code = generateAccessCode();
    if (code !== primary) return code;
  }
}

/**
 * Spec §3 input normalisation: Persian (U+06F0–U+06F9) and Arabic-Indic (U+0660–U+0669) digits
 * become ASCII; spaces and hyphens are dropped; anything else, or a length other than 20, is an
 * error. The error never echoes the input (it is a secret).
 */
export function normaliseAccessCode(input: string): string {
  let out = '';
  for (const ch of input) {
    const cp = ch.codePointAt(0) as number;
    if (cp >= 0x30 && cp <= 0x39) out += ch;
    else if (cp >= 0x6f0 && cp <= 0x6f9) out += String(cp - 0x6f0);
    else if (cp >= 0x660 && cp <= 0x669) out += String(cp - 0x660);
    else if (ch !== ' ' && ch !== '-')
      throw new CryptoFormatError('accessCode', 'may contain only digits, spaces and hyphens');
  }
  if (out.length !== ACCESS_CODE_DIGITS)
    throw new CryptoFormatError('accessCode', `must have ${ACCESS_CODE_DIGITS} digits`);
  return out;
}

/** Five groups of four ASCII digits separated by spaces, for display. */
export function formatAccessCode(code: string): string {
  return (normaliseAccessCode(code).match(/\d{4}/g) as string[]).join(' ');
}

/** `crypto_generichash(16, utf8("panah/v1/reporter-salt/" + deploymentId))`. */
export function reporterSalt(deploymentId: string): Uint8Array {
  if (deploymentId.length === 0) throw new CryptoFormatError('deploymentId', 'must not be empty');
  return sodium().crypto_generichash(16, utf8(`panah/v1/reporter-salt/${deploymentId}`), null);
}

export interface ReporterKeys {
  readonly boxKeyPair: BoxKeyPair;
  readonly signKeyPair: SignKeyPair;
  /** kid(signPk): the reporter's only identifier on the server. */
  readonly reporterId: string;
}

/**
 * Regenerates a reporter's keys from the access code (spec §3). Costs one Argon2id INTERACTIVE
 * run (64 MiB). Accepts any spelling normaliseAccessCode accepts.
 */
export function deriveReporterKeys(code: string, deploymentId: string): ReporterKeys {
  const s = sodium();
  const password = utf8(normaliseAccessCode(code));
  const seed = s.crypto_pwhash(
    32,
    password,
    reporterSalt(deploymentId),
    REPORTER_PWHASH_OPS,
    REPORTER_PWHASH_MEM,
    s.crypto_pwhash_ALG_ARGON2ID13,
  );
  try {
    return reporterKeysFromSeed(seed);
  } finally {
    wipe(password, seed);
  }
}

/** deriveReporterKeys with a pluggable Argon2id (the browser's WebAssembly one; see pwhash.ts). */
export async function deriveReporterKeysWith(
  code: string,
  deploymentId: string,
  argon2id: Argon2id = sodiumArgon2id,
): Promise<ReporterKeys> {
  const password = utf8(normaliseAccessCode(code));
  const salt = reporterSalt(deploymentId);
  let seed: Uint8Array | undefined;
  try {
    seed = await argon2id({
      password,
      salt,
      opsLimit: REPORTER_PWHASH_OPS,
      memLimitBytes: REPORTER_PWHASH_MEM,
      outLen: 32,
    });
    return reporterKeysFromSeed(seed);
  } finally {
    wipe(password, seed);
  }
}

function challengeMessage(challenge: Uint8Array): Uint8Array {
  if (challenge.length !== AUTH_CHALLENGE_BYTES)
    throw new CryptoFormatError('challenge', `must be ${AUTH_CHALLENGE_BYTES} bytes`);
  return concatBytes(utf8(AUTH_PREFIX), challenge);
}

/** Sign-in response: `crypto_sign_detached(utf8("panah/v1/auth/") || challenge, signSk)`. */
export function signChallenge(challenge: Uint8Array, signSecretKey: Uint8Array): Uint8Array {
  if (signSecretKey.length !== SIGN_SECRET_KEY_BYTES)
    throw new CryptoFormatError('signSecretKey', 'must be 64 bytes');
  return sodium().crypto_sign_detached(challengeMessage(challenge), signSecretKey);
}

/**
 * Server side of sign-in: returns true only for a valid signature over the prefixed challenge.
 * Malformed lengths return false too (the caller answers 401 either way, never 500).
 */
export function verifyChallenge(
  challenge: Uint8Array,
  signature: Uint8Array,
  signPublicKey: Uint8Array,
): boolean {
  if (
    challenge.length !== AUTH_CHALLENGE_BYTES ||
    signature.length !== SIGNATURE_BYTES ||
    signPublicKey.length !== SIGN_PUBLIC_KEY_BYTES
  ) {
    return false;
  }
  try {
    return sodium().crypto_sign_verify_detached(signature, challengeMessage(challenge), signPublicKey);
  } catch {
    return false;
  }
}

/** 32 random bytes for the server to issue as a challenge. */
export function generateChallenge(): Uint8Array {
  return randomBytes(AUTH_CHALLENGE_BYTES);
}
