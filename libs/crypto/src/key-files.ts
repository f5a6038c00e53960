import { CryptoFormatError, DecryptionError } from './errors';
import { bytesEqual, fromB64uExact, kid, randomBytes, toB64u, utf8 } from './encoding';
import { SignKeyPair } from './keys';
import { sodium, wipe } from './sodium';
import {
  deriveStaffKeys,
  generateStaffKdfSalt,
  openStaffSecret,
  protectStaffSecret,
  signSeedOf,
  StaffKeyPairs,
} from './staff';

/**
 * Passphrase-protected organisation root key, as written by `panah keys root init` (mode 0600):
 *
 *   { "v": 1, "type": "panah-root-key", "kid": kid(pk), "pk": b64u(Ed25519 pk),
 *     "kdf": { "alg": "argon2id13", "ops": 3, "mem": 268435456, "salt": b64u(16) },
 *     "nonce": b64u(24),
 *     "ct": b64u(crypto_aead_xchacha20poly1305_ietf_encrypt(seed(32), utf8("panah/v1/root-key/" + kid), null, nonce, pwhash(32, passphrase, salt, ops, mem))) }
 *
 * Only the 32-byte Ed25519 seed is stored; pk is re-derived on open and must match.
 */
export interface RootKeyFile {
  readonly v: 1;
  readonly type: 'panah-root-key';
  readonly kid: string;
  readonly pk: string;
  readonly kdf: {
    readonly alg: 'argon2id13';
    readonly ops: number;
    readonly mem: number;
    readonly salt: string;
  };
  readonly nonce: string;
  readonly ct: string;
}

export interface PwhashLimits {
  readonly ops: number;
  readonly mem: number;
}

/** MODERATE by default: a key ceremony can afford a second and 256 MiB per use. */
export const ROOT_KEY_DEFAULT_LIMITS: PwhashLimits = { ops: 3, mem: 268435456 };
// Bounds on limits read from a file, so a doctored file cannot make the CLI allocate gigabytes.
const MAX_OPS = 20;
const MAX_MEM = 1073741824;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function passphraseKey(passphrase: string, salt: Uint8Array, limits: PwhashLimits): Uint8Array {
  const s = sodium();
  const pw = utf8(passphrase);
  try {
    return s.crypto_pwhash(32, pw, salt, limits.ops, limits.mem, s.crypto_pwhash_ALG_ARGON2ID13);
  } finally {
    wipe(pw);
  }
}

export function generateRootKey(): SignKeyPair {
  const pair = sodium().crypto_sign_keypair();
  return { publicKey: pair.publicKey, privateKey: pair.privateKey };
}

export function protectRootKey(
  root: SignKeyPair,
  passphrase: string,
  limits: PwhashLimits = ROOT_KEY_DEFAULT_LIMITS,
): RootKeyFile {
  if (passphrase.length === 0) throw new CryptoFormatError('passphrase', 'must not be empty');
  const s = sodium();
  const salt = randomBytes(16);
  const nonce = randomBytes(24);
  const rootKid = kid(root.publicKey);
  const key = passphraseKey(passphrase, salt, limits);
  const seed = signSeedOf(root.privateKey);
  try {
    const ct = s.crypto_aead_xchacha20poly1305_ietf_encrypt(
      seed,
      utf8(`panah/v1/root-key/${rootKid}`),
      null,
      nonce,
      key,
    );
    return {
      v: 1,
      type: 'panah-root-key',
      kid: rootKid,
      pk: toB64u(root.publicKey),
      kdf: { alg: 'argon2id13', ops: limits.ops, mem: limits.mem, salt: toB64u(salt) },
      nonce: toB64u(nonce),
      ct: toB64u(ct),
    };
  } finally {
    wipe(key, seed);
  }
}

/** Opens a root key file; DecryptionError for a wrong passphrase, CryptoFormatError for a bad file. */
export function openRootKey(file: unknown, passphrase: string): SignKeyPair {
  if (!isObject(file) || file.v !== 1 || file.type !== 'panah-root-key')
    throw new CryptoFormatError('$', 'is not a panah root key file');
  const k = file.kdf;
  if (!isObject(k) || k.alg !== 'argon2id13') throw new CryptoFormatError('kdf', 'must be argon2id13');
  const ops = k.ops;
  const mem = k.mem;
  if (typeof ops !== 'number' || !Number.isSafeInteger(ops) || ops < 1 || ops > MAX_OPS)
    throw new CryptoFormatError('kdf.ops', 'is out of range');
  if (typeof mem !== 'number' || !Number.isSafeInteger(mem) || mem < 8192 || mem > MAX_MEM)
    throw new CryptoFormatError('kdf.mem', 'is out of range');
  const salt = fromB64uExact(k.salt, 16, 'kdf.salt');
  const pk = fromB64uExact(file.pk, 32, 'pk');
  const nonce = fromB64uExact(file.nonce, 24, 'nonce');
  const ct = fromB64uExact(file.ct, 48, 'ct');
  if (file.kid !== kid(pk)) throw new CryptoFormatError('kid', 'does not match pk');
  const s = sodium();
  const key = passphraseKey(passphrase, salt, { ops, mem });
  let seed: Uint8Array | undefined;
  try {
    try {
      seed = s.crypto_aead_xchacha20poly1305_ietf_decrypt(
        null,
        ct,
        utf8(`panah/v1/root-key/${file.kid}`),
        nonce,
        key,
      );
    } catch {
      throw new DecryptionError('root key did not open (wrong passphrase?)');
    }
    const pair = s.crypto_sign_seed_keypair(seed);
    if (!bytesEqual(pair.publicKey, pk)) throw new DecryptionError('root key file is inconsistent');
    return { publicKey: pair.publicKey, privateKey: pair.privateKey };
  } finally {
    wipe(key, seed);
  }
}

/**
 * Staff key file read by `panah envelope open --staff-secret <file>`: exactly what the server keeps
 * for a staff member (spec §4), so the file alone opens nothing without the password:
 *
 *   { "v": 1, "type": "panah-staff-key", "staffId": "…", "kdfSalt": b64u(16),
 *     "protected": "<spec §4 protected>", "boxPk": b64u(32), "signPk": b64u(32) }
 */
export interface StaffKeyFile {
  readonly v: 1;
  readonly type: 'panah-staff-key';
  readonly staffId: string;
  readonly kdfSalt: string;
  readonly protected: string;
  readonly boxPk: string;
  readonly signPk: string;
}

/** Enrolment: protects `keys` under the password; returns the file and the authKey to register. */
export function createStaffKeyFile(
  staffId: string,
  password: string,
  keys: StaffKeyPairs,
): { file: StaffKeyFile; authKey: Uint8Array } {
  const kdfSalt = generateStaffKdfSalt();
  const { authKey, encKey } = deriveStaffKeys(password, kdfSalt);
  const seed = signSeedOf(keys.signKeyPair.privateKey);
  try {
    const file: StaffKeyFile = {
      v: 1,
      type: 'panah-staff-key',
      staffId,
      kdfSalt: toB64u(kdfSalt),
      protected: protectStaffSecret(keys.boxKeyPair.privateKey, seed, staffId, encKey),
      boxPk: toB64u(keys.boxKeyPair.publicKey),
      signPk: toB64u(keys.signKeyPair.publicKey),
    };
    return { file, authKey };
  } finally {
    wipe(encKey, seed);
  }
}

/** Opens a staff key file with the password; checks the recovered keys against the listed pks. */
export function openStaffKeyFile(file: unknown, password: string): StaffKeyPairs {
  if (!isObject(file) || file.v !== 1 || file.type !== 'panah-staff-key')
    throw new CryptoFormatError('$', 'is not a panah staff key file');
  if (typeof file.staffId !== 'string' || file.staffId.length === 0)
    throw new CryptoFormatError('staffId', 'must be a non-empty string');
  if (typeof file.protected !== 'string') throw new CryptoFormatError('protected', 'must be a string');
  const kdfSalt = fromB64uExact(file.kdfSalt, 16, 'kdfSalt');
  const boxPk = fromB64uExact(file.boxPk, 32, 'boxPk');
  const signPk = fromB64uExact(file.signPk, 32, 'signPk');
  const { authKey, encKey } = deriveStaffKeys(password, kdfSalt);
  try {
    const keys = openStaffSecret(file.protected, file.staffId, encKey);
    if (!bytesEqual(keys.boxKeyPair.publicKey, boxPk) || !bytesEqual(keys.signKeyPair.publicKey, signPk)) {
      throw new DecryptionError('staff key file is inconsistent');
    }
    return keys;
  } finally {
    wipe(authKey, encKey);
  }
}
