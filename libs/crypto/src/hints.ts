import { CryptoFormatError, DecryptionError, UnknownDataKeyError } from './errors';
import { fromB64u, fromB64uExact, randomBytes, toB64u, utf8 } from './encoding';
import { sodium, wipe } from './sodium';

/**
 * Stored form of an encrypted triage-hints blob (spec §6), one ASCII string:
 *
 *   `v1.<keyId>.<b64u(nonce 24)>.<b64u(ct)>`
 *
 * ct = crypto_aead_xchacha20poly1305_ietf_encrypt(json, utf8("panah/v1/hints/" + reportId), null,
 * nonce, dataKey). keyId names the data key in configuration ([A-Za-z0-9_-]{1,32}, so it never
 * contains the `.` separator). Binding reportId in the ad stops a row's hints being swapped onto
 * another report.
 */
export const HINTS_FORMAT_VERSION = 'v1';
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const NONCE_BYTES = 24;

export interface DataKeyRingConfig {
  /** Id of the key new data is encrypted with. */
  readonly currentKeyId: string;
  /** Every key still needed to read stored data (current and retired ones), 32 bytes each. */
  readonly keys: ReadonlyMap<string, Uint8Array>;
}

function hintsAd(reportId: string): Uint8Array {
  if (reportId.length === 0) throw new CryptoFormatError('reportId', 'must not be empty');
  return utf8(`panah/v1/hints/${reportId}`);
}

/**
 * Server-side at-rest encryption of triage hints with rotatable data keys from configuration.
 * Rotation: add a new key, make it current, keep the old ones until re-encrypted (needsReencrypt).
 */
export class HintsCipher {
  private readonly keys = new Map<string, Uint8Array>();
  readonly currentKeyId: string;

  constructor(config: DataKeyRingConfig) {
    for (const [id, key] of config.keys) {
      if (!KEY_ID.test(id)) throw new CryptoFormatError('keys', 'key ids must match [A-Za-z0-9_-]{1,32}');
      if (key.length !== 32) throw new CryptoFormatError(`keys.${id}`, 'must be 32 bytes');
      this.keys.set(id, key.slice()); // own copy: the config may be wiped or mutated
    }
    if (!this.keys.has(config.currentKeyId)) throw new CryptoFormatError('currentKeyId', 'is not in keys');
    this.currentKeyId = config.currentKeyId;
  }

  /** Encrypts with the current key and a fresh random nonce; returns the stored string. */
  encrypt(reportId: string, json: Uint8Array | string): string {
    const key = this.keys.get(this.currentKeyId) as Uint8Array;
    return encryptHintsWith(this.currentKeyId, key, reportId, json, randomBytes(NONCE_BYTES));
  }

  /** Throws CryptoFormatError (malformed), UnknownDataKeyError (key retired too early) or DecryptionError. */
  decrypt(reportId: string, stored: string): Uint8Array {
    const { keyId, nonce, ct } = parseStoredHints(stored);
    const key = this.keys.get(keyId);
    if (key === undefined) throw new UnknownDataKeyError(keyId);
    try {
      return sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(null, ct, hintsAd(reportId), nonce, key);
    } catch {
      throw new DecryptionError('hints did not decrypt (wrong key or report id, or tampered)');
    }
  }

  /** True when the value was written under a key other than the current one. */
  needsReencrypt(stored: string): boolean {
    return parseStoredHints(stored).keyId !== this.currentKeyId;
  }

  /** Wipes the cipher's copies of the keys (e.g. on shutdown). */
  destroy(): void {
    for (const key of this.keys.values()) wipe(key);
    this.keys.clear();
  }
}

/** Deterministic core of HintsCipher.encrypt; internal (test vectors only, not in index.ts). */
export function encryptHintsWith(
  keyId: string,
  key: Uint8Array,
  reportId: string,
  json: Uint8Array | string,
  nonce: Uint8Array,
): string {
  const plaintext = typeof json === 'string' ? utf8(json) : json;
  const ct = sodium().crypto_aead_xchacha20poly1305_ietf_encrypt(
    plaintext,
    hintsAd(reportId),
    null,
    nonce,
    key,
  );
  return `${HINTS_FORMAT_VERSION}.${keyId}.${toB64u(nonce)}.${toB64u(ct)}`;
}

export function parseStoredHints(stored: string): { keyId: string; nonce: Uint8Array; ct: Uint8Array } {
  const parts = stored.split('.');
  if (parts.length !== 4 || parts[0] !== HINTS_FORMAT_VERSION)
    throw new CryptoFormatError('hints', 'is not a v1 stored hints value');
  if (!KEY_ID.test(parts[1])) throw new CryptoFormatError('hints.keyId', 'is malformed');
  const nonce = fromB64uExact(parts[2], NONCE_BYTES, 'hints.nonce');
  const ct = fromB64u(parts[3], 'hints.ct');
  if (ct.length < 16) throw new CryptoFormatError('hints.ct', 'is too short');
  return { keyId: parts[1], nonce, ct };
}
