import { randomBytes } from 'node:crypto';
import { cryptoReady, solveProofOfWork } from '@panah/crypto';
import { solveProofOfWorkWasm } from './pow';

// The web clients solve crypto-v1 §7 proofs of work with hash-wasm's SHA-256 (the plain libsodium
// build has no crypto_hash_sha256): both walk the same counter, so they must find the same nonce.
describe('the web clients’ proof of work', () => {
  beforeAll(() => cryptoReady());

  it.each([0, 4, 8, 12])('finds the nonce libs/crypto finds at difficulty %i', async (difficulty) => {
    for (let k = 0; k < 4; k++) {
      const challenge = new Uint8Array(randomBytes(32));
      const progress: number[] = [];
      const wasm = await solveProofOfWorkWasm(challenge, difficulty, (tried) => progress.push(tried));
      expect(Buffer.from(wasm).toString('hex')).toBe(
        Buffer.from(solveProofOfWork(challenge, difficulty)).toString('hex'),
      );
      expect(wasm).toHaveLength(8);
    }
  });
});
