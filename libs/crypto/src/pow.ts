import { sodium } from './sodium';

/** Leading zero bits of a hash (the same count as @panah/domain's leadingZeroBits). */
function zeroBits(hash: Uint8Array): number {
  let bits = 0;
  for (const byte of hash) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

/**
 * crypto-v1 §7: a nonce (8 bytes, a counter) such that SHA-256(challenge || nonce) starts with at
 * least `difficulty` zero bits. Used by the staff clients when sign-in demands a proof of work;
 * about 2^difficulty hashes, so browsers call it in a Web Worker.
 */
export function solveProofOfWork(
  challenge: Uint8Array,
  difficulty: number,
  onProgress?: (tried: number) => void,
): Uint8Array {
  const s = sodium();
  const input = new Uint8Array(challenge.length + 8);
  input.set(challenge);
  const view = new DataView(input.buffer);
  for (let i = 0; ; i++) {
    view.setUint32(challenge.length, Math.floor(i / 2 ** 32));
    view.setUint32(challenge.length + 4, i >>> 0);
    if (zeroBits(s.crypto_hash_sha256(input)) >= difficulty) return input.slice(challenge.length);
    if (onProgress && i % 16_384 === 0) onProgress(i);
  }
}
