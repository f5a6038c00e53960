import {
  cryptoReady,
  deriveReporterKeys,
  deriveReporterKeysWith,
  deriveStaffMaster,
  deriveStaffMasterWith,
  sodiumArgon2id,
  toB64u,
} from '@panah/crypto';
// eslint-disable-next-line no-restricted-imports -- the spec's own vectors live beside libs/crypto
import { hex, unhex, vectors } from '../../crypto/test-vectors';
import { hashWasmArgon2id } from './argon2';

beforeAll(() => cryptoReady());

// The web clients derive keys with hash-wasm instead of libsodium's crypto_pwhash (not in the
// plain libsodium build they bundle): any difference would lock a reporter out of their keys.
describe('hash-wasm Argon2id is byte-identical to crypto_pwhash ARGON2ID13', () => {
  it.each(vectors.reporter.derivations)(
    'derives the reporter vector keys for $code (INTERACTIVE)',
    async (d) => {
      const keys = await deriveReporterKeysWith(d.code, vectors.reporter.deploymentId, hashWasmArgon2id);
      expect(hex(keys.boxKeyPair.publicKey)).toBe(d.boxPkHex);
      expect(hex(keys.boxKeyPair.privateKey)).toBe(d.boxSkHex);
      expect(hex(keys.signKeyPair.publicKey)).toBe(d.signPkHex);
      const sync = deriveReporterKeys(d.code, vectors.reporter.deploymentId);
      expect(keys.reporterId).toBe(sync.reporterId);
    },
  );

  it('derives the staff vector master key (MODERATE)', async () => {
    const s = vectors.staff;
    const master = await deriveStaffMasterWith(s.password, unhex(s.kdfSaltHex), hashWasmArgon2id);
    expect(hex(master)).toBe(s.masterHex);
    expect(hex(deriveStaffMaster(s.password, unhex(s.kdfSaltHex)))).toBe(s.masterHex);
  });

  it('matches libsodium on other lengths, salts and limits', async () => {
    const params = {
      password: new TextEncoder().encode('پناه ۱۲۳'),
      salt: unhex('000102030405060708090a0b0c0d0e0f'),
      opsLimit: 1,
      memLimitBytes: 8192 * 1024,
      outLen: 64,
    };
    expect(toB64u(await hashWasmArgon2id(params))).toBe(toB64u(await sodiumArgon2id(params)));
  });
});
