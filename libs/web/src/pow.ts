import { createSHA256 } from 'hash-wasm';

/** Leading zero bits of a hash (crypto-v1 §7). */
function leadingZeroBits(hash: Uint8Array): number {
  let n = 0;
  for (const b of hash) {
    if (b === 0) {
      n += 8;
      continue;
    }
    return n + Math.clz32(b) - 24;
  }
  return n;
}

/**
 * Spec §7 in the browser: a nonce (8 bytes, big-endian counter) such that
 * SHA-256(challenge || nonce) has `difficulty` leading zero bits. hash-wasm's SHA-256, since the
 * plain libsodium build the web clients bundle has no crypto_hash_sha256 (libs/crypto's
 * solveProofOfWork, which the CLI uses, needs the sumo build). `onProgress` gets the count tried.
 */
export async function solveProofOfWorkWasm(
  challenge: Uint8Array,
  difficulty: number,
  onProgress?: (tried: number) => void,
): Promise<Uint8Array> {
  const sha = await createSHA256();
  const input = new Uint8Array(challenge.length + 8);
  input.set(challenge);
  const view = new DataView(input.buffer);
  for (let i = 0; ; i++) {
    view.setUint32(challenge.length, Math.floor(i / 2 ** 32));
    view.setUint32(challenge.length + 4, i >>> 0);
    sha.init();
    sha.update(input);
    if (leadingZeroBits(sha.digest('binary')) >= difficulty) return input.slice(challenge.length);
    if (onProgress && i % 4096 === 0) onProgress(i);
  }
}
