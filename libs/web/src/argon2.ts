import { argon2id } from 'hash-wasm';
import type { Argon2id } from '@panah/crypto';

/**
 * Argon2id for the web clients: hash-wasm's WebAssembly build (~12 KB gzip), since the plain
 * libsodium build they bundle has no crypto_pwhash. Same algorithm and parameters as libsodium's
 * crypto_pwhash ALG_ARGON2ID13 (version 0x13, parallelism 1, memory in KiB); argon2.spec.ts
 * proves byte-identity on the spec vectors.
 */
export const hashWasmArgon2id: Argon2id = async (p) => {
  if (p.memLimitBytes % 1024 !== 0) throw new Error('memLimitBytes must be a multiple of 1024');
  const out = await argon2id({
    password: p.password,
    salt: p.salt,
    parallelism: 1,
    iterations: p.opsLimit,
    memorySize: p.memLimitBytes / 1024,
    hashLength: p.outLen,
    outputType: 'binary',
  });
  return new Uint8Array(out);
};
