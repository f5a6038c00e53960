import { createHash } from 'node:crypto';
import { solveProofOfWork } from './pow';
import { cryptoReady } from './sodium';

describe('proof of work (crypto-v1 §7)', () => {
  beforeAll(() => cryptoReady());

  it('finds a nonce whose SHA-256(challenge || nonce) has the leading zero bits asked for', () => {
    const challenge = new Uint8Array(32).fill(7);
    const nonce = solveProofOfWork(challenge, 12);
    const hash = createHash('sha256').update(challenge).update(nonce).digest();
    expect(hash[0]).toBe(0);
    expect(hash[1]! >> 4).toBe(0);
    expect(nonce.length).toBe(8);
  });
});
