import { CryptoFormatError, DecryptionError } from './errors';
import { concatBytes, fromB64u, kdf, randomBytes, toB64u, utf8 } from './encoding';
import { BoxKeyPair, SignKeyPair } from './keys';
import { Argon2id, sodiumArgon2id } from './pwhash';
import { sodium, wipe } from './sodium';

export const STAFF_KDF_SALT_BYTES = 16;
/** Spec §4: the MODERATE limits (about a second and 256 MiB on a laptop). */
export const STAFF_PWHASH_OPS = 3;
export const STAFF_PWHASH_MEM = 268435456;
const STAFF_KDF_CONTEXT = 'panahstf';
const NONCE_BYTES = 24;
const SECRET_BYTES = 64;

/**
 * Server-side hash of authKey. INTERACTIVE limits (2 ops, 64 MiB) are enough: authKey is 32 bytes
 * of Argon2id MODERATE output, so the password-guessing cost sits in the client derivation and
 * this hash only stops a database thief from replaying authKey. The server runs it on every
 * login, so MODERATE here would make logins an easy memory-exhaustion DoS.
 */
export const AUTH_HASH_OPS = 2;
export const AUTH_HASH_MEM = 67108864;

export function generateStaffKdfSalt(): Uint8Array {
  return randomBytes(STAFF_KDF_SALT_BYTES);
}

/**
 * `crypto_pwhash(32, password, kdfSalt, 3, 268435456, ARGON2ID13)`. The password is used as its
 * exact UTF-8 bytes (no Unicode normalisation: the spec does not define one). Wipe the result.
 */
export function deriveStaffMaster(password: string, kdfSalt: Uint8Array): Uint8Array {
  if (kdfSalt.length !== STAFF_KDF_SALT_BYTES) throw new CryptoFormatError('kdfSalt', 'must be 16 bytes');
  if (password.length === 0) throw new CryptoFormatError('password', 'must not be empty');
  const s = sodium();
  const pw = utf8(password);
  try {
    return s.crypto_pwhash(
      32,
      pw,
      kdfSalt,
      STAFF_PWHASH_OPS,
      STAFF_PWHASH_MEM,
      s.crypto_pwhash_ALG_ARGON2ID13,
    );
  } finally {
    wipe(pw);
  }
}

/** deriveStaffMaster with a pluggable Argon2id (the web console's WebAssembly one; see pwhash.ts). */
export async function deriveStaffMasterWith(
  password: string,
  kdfSalt: Uint8Array,
  argon2id: Argon2id = sodiumArgon2id,
): Promise<Uint8Array> {
  if (kdfSalt.length !== STAFF_KDF_SALT_BYTES) throw new CryptoFormatError('kdfSalt', 'must be 16 bytes');
  if (password.length === 0) throw new CryptoFormatError('password', 'must not be empty');
  const pw = utf8(password);
  try {
    return await argon2id({
      password: pw,
      salt: kdfSalt,
      opsLimit: STAFF_PWHASH_OPS,
      memLimitBytes: STAFF_PWHASH_MEM,
      outLen: 32,
    });
  } finally {
    wipe(pw);
  }
}

/** `authKey = kdf(32, 1, "panahstf", master)`: sent to the server to log in. */
export function staffAuthKey(master: Uint8Array): Uint8Array {
  return kdf(32, 1, STAFF_KDF_CONTEXT, master);
}

/** `encKey = kdf(32, 2, "panahstf", master)`: opens the staff secret; never leaves the device. */
export function staffEncKey(master: Uint8Array): Uint8Array {
  return kdf(32, 2, STAFF_KDF_CONTEXT, master);
}

/** Password → {authKey, encKey}, wiping the master key. */
export function deriveStaffKeys(
  password: string,
  kdfSalt: Uint8Array,
): { authKey: Uint8Array; encKey: Uint8Array } {
  const master = deriveStaffMaster(password, kdfSalt);
  try {
    return { authKey: staffAuthKey(master), encKey: staffEncKey(master) };
  } finally {
    wipe(master);
  }
}

export interface StaffKeyPairs {
  readonly boxKeyPair: BoxKeyPair;
  readonly signKeyPair: SignKeyPair;
}

/** Fresh staff key pairs (enrolment). */
export function generateStaffKeys(): StaffKeyPairs {
  const s = sodium();
  const box = s.crypto_box_keypair();
  const sign = s.crypto_sign_keypair();
  return {
    boxKeyPair: { publicKey: box.publicKey, privateKey: box.privateKey },
    signKeyPair: { publicKey: sign.publicKey, privateKey: sign.privateKey },
  };
}

/** What enrolment keeps of fresh staff keys: the public halves and the protected secret (spec §4). */
export interface EnrolledStaffKeys {
  readonly boxPk: Uint8Array;
  readonly signPk: Uint8Array;
  /** `protected` of spec §4: boxSk || signSeed under encKey, bound to staffId; the server keeps it. */
  readonly protectedSecret: string;
}

/**
 * Enrolment (spec §4) once the password has given encKey: fresh box and sign key pairs, their
 * secret halves (boxSk || signSeed) protected under encKey for staffId. Wipes encKey and both
 * secret keys before returning, so only what the server may keep is left. No I/O.
 */
export function enrolStaffKeys(staffId: string, encKey: Uint8Array): EnrolledStaffKeys {
  const keys = generateStaffKeys();
  const signSeed = signSeedOf(keys.signKeyPair.privateKey);
  try {
    return {
      boxPk: keys.boxKeyPair.publicKey,
      signPk: keys.signKeyPair.publicKey,
      protectedSecret: protectStaffSecret(keys.boxKeyPair.privateKey, signSeed, staffId, encKey),
    };
  } finally {
    encKey.fill(0);
    signSeed.fill(0);
    keys.boxKeyPair.privateKey.fill(0);
    keys.signKeyPair.privateKey.fill(0);
  }
}

/**
 * The body of `POST /v1/staff/register` (spec §4) from an enrolment: the KDF salt, authKey and
 * the enrolled public keys as base64url, with the protected secret. The caller adds `totpCode`
 * and wipes authKey. No I/O.
 */
export function staffRegistrationBody(input: {
  readonly invitationToken: string;
  readonly staffId: string;
  readonly login: string;
  readonly kdfSalt: Uint8Array;
  readonly authKey: Uint8Array;
  readonly keys: EnrolledStaffKeys;
  readonly totpSecret: string;
}) {
  return {
    invitationToken: input.invitationToken,
    staffId: input.staffId,
    login: input.login,
    kdfSalt: toB64u(input.kdfSalt),
    authKey: toB64u(input.authKey),
    boxPk: toB64u(input.keys.boxPk),
    signPk: toB64u(input.keys.signPk),
    protectedSecret: input.keys.protectedSecret,
    totpSecret: input.totpSecret,
  };
}

/**
 * What `POST /v1/staff/register` takes but the authenticator's current code (asked for last), as the
 * builder makes it. Not taken from the API client: this library depends on nothing but libsodium
 * (boundary.spec.ts); the callers' typecheck against the generated client holds it to the contract.
 */
export type StaffRegistrationBody = ReturnType<typeof staffRegistrationBody>;

function staffSecretAd(staffId: string): Uint8Array {
  if (staffId.length === 0) throw new CryptoFormatError('staffId', 'must not be empty');
  return utf8(`panah/v1/staff-secret/${staffId}`);
}

/**
 * `b64u(nonce || aead(boxSk || signSeed, utf8("panah/v1/staff-secret/" + staffId), nonce, encKey))`.
 * Takes the 32-byte Ed25519 seed (crypto_sign_ed25519_sk_to_seed of the 64-byte key).
 */
export function protectStaffSecret(
  boxSecretKey: Uint8Array,
  signSeed: Uint8Array,
  staffId: string,
  encKey: Uint8Array,
): string {
  return protectStaffSecretWith(boxSecretKey, signSeed, staffId, encKey, randomBytes(NONCE_BYTES));
}

/** Deterministic core; internal (test vectors only): never reuse a nonce under one encKey. */
export function protectStaffSecretWith(
  boxSk: Uint8Array,
  signSeed: Uint8Array,
  staffId: string,
  encKey: Uint8Array,
  nonce: Uint8Array,
): string {
  if (boxSk.length !== 32) throw new CryptoFormatError('boxSecretKey', 'must be 32 bytes');
  if (signSeed.length !== 32) throw new CryptoFormatError('signSeed', 'must be 32 bytes');
  if (encKey.length !== 32) throw new CryptoFormatError('encKey', 'must be 32 bytes');
  const secret = concatBytes(boxSk, signSeed);
  try {
    const ct = sodium().crypto_aead_xchacha20poly1305_ietf_encrypt(
      secret,
      staffSecretAd(staffId),
      null,
      nonce,
      encKey,
    );
    return toB64u(concatBytes(nonce, ct));
  } finally {
    wipe(secret);
  }
}

/** Opens `protected` with encKey; rebuilds both key pairs. DecryptionError on a wrong password/staffId. */
export function openStaffSecret(protectedSecret: string, staffId: string, encKey: Uint8Array): StaffKeyPairs {
  const s = sodium();
  const blob = fromB64u(protectedSecret, 'protected');
  if (blob.length !== NONCE_BYTES + SECRET_BYTES + 16)
    throw new CryptoFormatError('protected', 'has the wrong length');
  let secret: Uint8Array;
  try {
    secret = s.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      blob.subarray(NONCE_BYTES),
      staffSecretAd(staffId),
      blob.subarray(0, NONCE_BYTES),
      encKey,
    );
  } catch {
    throw new DecryptionError('staff secret did not open (wrong password or staff id)');
  }
  try {
    const boxSk = secret.slice(0, 32);
    // X25519 public key of a crypto_box secret key, exactly as crypto_box_keypair computes it.
    const boxPk = s.crypto_scalarmult_base(boxSk);
    const sign = s.crypto_sign_seed_keypair(secret.subarray(32, 64));
    return {
      boxKeyPair: { publicKey: boxPk, privateKey: boxSk },
      signKeyPair: { publicKey: sign.publicKey, privateKey: sign.privateKey },
    };
  } finally {
    wipe(secret);
  }
}

/** The 32-byte seed of a 64-byte Ed25519 secret key (what protectStaffSecret stores). */
export function signSeedOf(signSecretKey: Uint8Array): Uint8Array {
  if (signSecretKey.length !== 64) throw new CryptoFormatError('signSecretKey', 'must be 64 bytes');
  return sodium().crypto_sign_ed25519_sk_to_seed(signSecretKey);
}

/** Server side: `crypto_pwhash_str` of authKey, INTERACTIVE limits (see AUTH_HASH_OPS). */
export function hashAuthKey(authKey: Uint8Array): string {
  if (authKey.length !== 32) throw new CryptoFormatError('authKey', 'must be 32 bytes');
  return sodium().crypto_pwhash_str(authKey, AUTH_HASH_OPS, AUTH_HASH_MEM);
}

/** Server side: constant-time check of a presented authKey; false (never a throw) for a bad hash. */
export function verifyAuthKeyHash(hash: string, authKey: Uint8Array): boolean {
  if (authKey.length !== 32) return false;
  try {
    return sodium().crypto_pwhash_str_verify(hash, authKey);
  } catch {
    return false;
  }
}

/** True when a stored hash was made with other limits and should be replaced at the next login. */
export function authKeyHashNeedsRehash(hash: string): boolean {
  try {
    return sodium().crypto_pwhash_str_needs_rehash(hash, AUTH_HASH_OPS, AUTH_HASH_MEM);
  } catch {
    return true;
  }
}
