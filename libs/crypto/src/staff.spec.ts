import libsodium from 'libsodium-wrappers-sumo';
import { hex, unhex, vectors } from '../test-vectors';
import { toB64u } from './encoding';
import { CryptoFormatError, DecryptionError } from './errors';
import {
  authKeyHashNeedsRehash,
  deriveStaffMaster,
  enrolStaffKeys,
  generateStaffKeys,
  hashAuthKey,
  openStaffSecret,
  protectStaffSecret,
  protectStaffSecretWith,
  signSeedOf,
  staffAuthKey,
  staffEncKey,
  staffRegistrationBody,
  verifyAuthKeyHash,
} from './staff';
import { cryptoReady } from './sodium';

beforeAll(() => cryptoReady());

const v = vectors.staff;

describe('staff keys (spec §4)', () => {
  it('derives master, authKey and encKey from the vector password (Argon2id MODERATE)', () => {
    const master = deriveStaffMaster(v.password, unhex(v.kdfSaltHex));
    expect(hex(master)).toBe(v.masterHex);
    expect(hex(staffAuthKey(master))).toBe(v.authKeyHex);
    expect(hex(staffEncKey(master))).toBe(v.encKeyHex);
  });

  it('protects the vector secret to the exact vector bytes with the same nonce', () => {
    expect(
      protectStaffSecretWith(
        unhex(v.boxSkHex),
        unhex(v.signSeedHex),
        v.staffId,
        unhex(v.encKeyHex),
        unhex(v.nonceHex),
      ),
    ).toBe(v.protected);
  });

  it('opens the vector protected secret and rebuilds both key pairs', () => {
    const keys = openStaffSecret(v.protected, v.staffId, unhex(v.encKeyHex));
    expect(hex(keys.boxKeyPair.privateKey)).toBe(v.boxSkHex);
    expect(hex(keys.boxKeyPair.publicKey)).toBe(v.boxPkHex);
    expect(hex(keys.signKeyPair.publicKey)).toBe(v.signPkHex);
    expect(hex(signSeedOf(keys.signKeyPair.privateKey))).toBe(v.signSeedHex);
  });

  it('does not open under another staff id, another key or after tampering', () => {
    expect(() => openStaffSecret(v.protected, 'someone-else', unhex(v.encKeyHex))).toThrow(DecryptionError);
    expect(() => openStaffSecret(v.protected, v.staffId, unhex(v.authKeyHex))).toThrow(DecryptionError);
    const bytes = libsodium.from_base64(v.protected, libsodium.base64_variants.URLSAFE_NO_PADDING);
    for (const i of [0, 23, 24, 60, bytes.length - 1]) {
      const bad = bytes.slice();
      bad[i] ^= 1;
      expect(() => openStaffSecret(toB64u(bad), v.staffId, unhex(v.encKeyHex))).toThrow(DecryptionError);
    }
    expect(() => openStaffSecret(v.protected.slice(0, -2), v.staffId, unhex(v.encKeyHex))).toThrow(
      CryptoFormatError,
    );
  });

  it('round-trips freshly generated staff keys with a random nonce', () => {
    const keys = generateStaffKeys();
    const encKey = libsodium.randombytes_buf(32);
    const a = protectStaffSecret(
      keys.boxKeyPair.privateKey,
      signSeedOf(keys.signKeyPair.privateKey),
      'staff-1',
      encKey,
    );
    const b = protectStaffSecret(
      keys.boxKeyPair.privateKey,
      signSeedOf(keys.signKeyPair.privateKey),
      'staff-1',
      encKey,
    );
    expect(a).not.toBe(b);
    const opened = openStaffSecret(a, 'staff-1', encKey);
    expect(hex(opened.signKeyPair.privateKey)).toBe(hex(keys.signKeyPair.privateKey));
    expect(hex(opened.boxKeyPair.publicKey)).toBe(hex(keys.boxKeyPair.publicKey));
  });
});

describe('enrolStaffKeys (spec §4, enrolment)', () => {
  it('keeps the public keys and a protected secret that opens to them for this staff id only', () => {
    const encKey = libsodium.randombytes_buf(32);
    const copy = encKey.slice();
    const enrolled = enrolStaffKeys('staff-1', encKey);
    expect(enrolled.boxPk).toHaveLength(32);
    expect(enrolled.signPk).toHaveLength(32);
    const opened = openStaffSecret(enrolled.protectedSecret, 'staff-1', copy);
    expect(hex(opened.boxKeyPair.publicKey)).toBe(hex(enrolled.boxPk));
    expect(hex(opened.signKeyPair.publicKey)).toBe(hex(enrolled.signPk));
    expect(() => openStaffSecret(enrolled.protectedSecret, 'staff-2', copy)).toThrow(DecryptionError);
  });

  it('wipes encKey and makes fresh keys every time', () => {
    const encKey = libsodium.randombytes_buf(32);
    const a = enrolStaffKeys('staff-1', encKey);
    expect(encKey.every((b) => b === 0)).toBe(true);
    const b = enrolStaffKeys('staff-1', libsodium.randombytes_buf(32));
    expect(hex(a.boxPk)).not.toBe(hex(b.boxPk));
    expect(hex(a.signPk)).not.toBe(hex(b.signPk));
  });
});

describe('staffRegistrationBody', () => {
  it('carries the enrolment as base64url, with the protected secret and TOTP secret as given', () => {
    const kdfSalt = libsodium.randombytes_buf(16);
    const authKey = libsodium.randombytes_buf(32);
    const keys = enrolStaffKeys('staff-1', libsodium.randombytes_buf(32));
    expect(
      staffRegistrationBody({
        invitationToken: 'pi_token',
        staffId: 'staff-1',
        login: 'farid.k',
        kdfSalt,
        authKey,
        keys,
        totpSecret: 'FAKESECRETFAKESECRETFAKESECRET22',
      }),
    ).toEqual({
      invitationToken: 'pi_token',
      staffId: 'staff-1',
      login: 'farid.k',
      kdfSalt: toB64u(kdfSalt),
      authKey: toB64u(authKey),
      boxPk: toB64u(keys.boxPk),
      signPk: toB64u(keys.signPk),
      protectedSecret: keys.protectedSecret,
      totpSecret: 'FAKESECRETFAKESECRETFAKESECRET22',
    });
  });
});

describe('authKey hash (server side)', () => {
  it('accepts the vector hash for the vector authKey and nothing else', () => {
    expect(verifyAuthKeyHash(v.authKeyHash, unhex(v.authKeyHex))).toBe(true);
    expect(verifyAuthKeyHash(v.authKeyHash, unhex(v.encKeyHex))).toBe(false);
    expect(authKeyHashNeedsRehash(v.authKeyHash)).toBe(false);
  });

  it('hashes with a random salt and verifies', () => {
    const authKey = libsodium.randombytes_buf(32);
    const h1 = hashAuthKey(authKey);
    expect(h1).toMatch(/^\$argon2id\$v=19\$m=65536,t=2,p=1\$/);
    expect(hashAuthKey(authKey)).not.toBe(h1);
    expect(verifyAuthKeyHash(h1, authKey)).toBe(true);
  });

  it('returns false, never throws, for malformed hashes or keys', () => {
    expect(verifyAuthKeyHash('not a hash', libsodium.randombytes_buf(32))).toBe(false);
    expect(verifyAuthKeyHash(v.authKeyHash, new Uint8Array(31))).toBe(false);
    expect(authKeyHashNeedsRehash('garbage')).toBe(true);
  });
});
