/**
 * Proof of work for anonymous registration: the number of leading zero bits of a hash. Pure, so
 * the server check and a client solver (or a test) agree bit for bit.
 */
export function leadingZeroBits(hash: Uint8Array): number {
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

/** Expected hash evaluations to find a solution of `difficulty` bits (for docs and tuning). */
export function expectedPowAttempts(difficulty: number): number {
  return 2 ** difficulty;
}
