import { CryptoFormatError } from './errors';
import { kdf, kid } from './encoding';
import { BoxKeyPair, SignKeyPair } from './keys';
import { sodium, wipe } from './sodium';

/**
 * Pluggable Argon2id (ARGON2ID13, parallelism 1, as libsodium's crypto_pwhash). Node uses
 * libsodium-wrappers-sumo; the web clients bundle the plain libsodium build (which has no
 * crypto_pwhash) and pass a WebAssembly Argon2id (libs/web `hashWasmArgon2id`) that a unit test
 * proves byte-identical on the spec's vectors. Async because the browser implementations are.
 */
export interface Argon2idParams {
  readonly password: Uint8Array;
  readonly salt: Uint8Array;
  readonly opsLimit: number;
  /** Bytes, as libsodium's memlimit (a multiple of 1024). */
  readonly memLimitBytes: number;
  readonly outLen: number;
}
export type Argon2id = (params: Argon2idParams) => Promise<Uint8Array>;

/** libsodium's crypto_pwhash; needs the sumo build (Node). */
export const sodiumArgon2id: Argon2id = async (p) => {
  const s = sodium();
  if (typeof s.crypto_pwhash !== 'function')
    throw new CryptoFormatError('argon2id', 'this libsodium build has no crypto_pwhash: pass an Argon2id');
  return s.crypto_pwhash(
    p.outLen,
    p.password,
    p.salt,
    p.opsLimit,
    p.memLimitBytes,
    s.crypto_pwhash_ALG_ARGON2ID13,
  );
};

const REPORTER_KDF_CONTEXT = 'panahrep';

/** Spec §3 from the Argon2id seed on: the box and sign key pairs and reporterId. Wipes nothing it did not make. */
export function reporterKeysFromSeed(seed: Uint8Array): {
  boxKeyPair: BoxKeyPair;
  signKeyPair: SignKeyPair;
  reporterId: string;
} {
  if (seed.length !== 32) throw new CryptoFormatError('seed', 'must be 32 bytes');
  const s = sodium();
  const boxSeed = kdf(32, 1, REPORTER_KDF_CONTEXT, seed);
  const signSeed = kdf(32, 2, REPORTER_KDF_CONTEXT, seed);
  try {
    const box = s.crypto_box_seed_keypair(boxSeed);
    const sign = s.crypto_sign_seed_keypair(signSeed);
    return {
      boxKeyPair: { publicKey: box.publicKey, privateKey: box.privateKey },
      signKeyPair: { publicKey: sign.publicKey, privateKey: sign.privateKey },
      reporterId: kid(sign.publicKey),
    };
  } finally {
    wipe(boxSeed, signSeed);
  }
}
