import { createPublicKey, verify } from 'node:crypto';
import { fromB64u, kid, toB64u, utf8 } from './encoding';
import { generateRootKey } from './key-files';
import { signSignal } from './signal';
import { cryptoReady } from './sodium';

beforeAll(() => cryptoReady());

describe('signed signals (spec §8)', () => {
  it('signs panah/v1/<kind>/<id>/<at> with Ed25519, verifiable by any Ed25519 implementation', () => {
    const keys = generateRootKey();
    const id = '6f1c1a52-4e0b-4d1e-9a49-3f5f0c2b7d11';
    const at = '2026-12-01T20:00:00.000Z';
    const sig = signSignal('panic', id, at, keys.privateKey);
    const pk = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: toB64u(keys.publicKey) },
      format: 'jwk',
    });
    expect(verify(null, utf8(`panah/v1/panic/${id}/${at}`), pk, fromB64u(sig, 'sig'))).toBe(true);
    expect(verify(null, utf8(`panah/v1/checkin/${id}/${at}`), pk, fromB64u(sig, 'sig'))).toBe(false);
    expect(kid(keys.publicKey)).toHaveLength(22);
  });

  it('refuses a malformed id or time', () => {
    const keys = generateRootKey();
    expect(() => signSignal('checkin', 'NOT-A-UUID', '2026-12-01T20:00:00.000Z', keys.privateKey)).toThrow(
      /id/,
    );
    expect(() =>
      signSignal('checkin', '6f1c1a52-4e0b-4d1e-9a49-3f5f0c2b7d11', '2026-12-01T20:00:00Z', keys.privateKey),
    ).toThrow(/at/);
  });
});
