import libsodium from 'libsodium-wrappers-sumo';
import { hex } from '../test-vectors';
import { CryptoFormatError, DecryptionError } from './errors';
import {
  createStaffKeyFile,
  generateRootKey,
  openRootKey,
  openStaffKeyFile,
  protectRootKey,
  RootKeyFile,
} from './key-files';
import { cryptoReady } from './sodium';
import { deriveStaffKeys, generateStaffKeys, verifyAuthKeyHash, hashAuthKey } from './staff';
import { fromB64u } from './encoding';

beforeAll(() => cryptoReady());

// Cheap limits keep the suite fast; the CLI test exercises the MODERATE defaults.
const cheap = { ops: 1, mem: 8 * 1024 * 1024 };

describe('root key file', () => {
  it('round-trips under the passphrase and records its kdf parameters', () => {
    const root = generateRootKey();
    const file = protectRootKey(root, 'a long root passphrase', cheap);
    expect(file.kdf).toEqual(expect.objectContaining({ alg: 'argon2id13', ops: 1, mem: cheap.mem }));
    expect(JSON.stringify(file)).not.toContain(hex(root.privateKey.subarray(0, 32)));
    const opened = openRootKey(JSON.parse(JSON.stringify(file)), 'a long root passphrase');
    expect(hex(opened.privateKey)).toBe(hex(root.privateKey));
  });

  it('rejects a wrong passphrase, a swapped public key and doctored limits', () => {
    const file = protectRootKey(generateRootKey(), 'pass one', cheap);
    expect(() => openRootKey(file, 'pass two')).toThrow(DecryptionError);
    const other = protectRootKey(generateRootKey(), 'pass one', cheap);
    const swapped: RootKeyFile = { ...file, pk: other.pk, kid: other.kid };
    expect(() => openRootKey(swapped, 'pass one')).toThrow(DecryptionError);
    expect(() => openRootKey({ ...file, kdf: { ...file.kdf, mem: 2 ** 40 } }, 'pass one')).toThrow('kdf.mem');
    expect(() => openRootKey({ ...file, kid: other.kid }, 'pass one')).toThrow(CryptoFormatError);
    expect(() => openRootKey({ type: 'x' }, 'pass one')).toThrow(CryptoFormatError);
  });
});

describe('staff key file', () => {
  it('opens with the password, yields an authKey the server hash accepts, and fails with another password', () => {
    const keys = generateStaffKeys();
    const { file, authKey } = createStaffKeyFile('staff-42', 'staff password', keys);
    const opened = openStaffKeyFile(JSON.parse(JSON.stringify(file)), 'staff password');
    expect(hex(opened.boxKeyPair.privateKey)).toBe(hex(keys.boxKeyPair.privateKey));
    expect(hex(opened.signKeyPair.privateKey)).toBe(hex(keys.signKeyPair.privateKey));
    expect(
      verifyAuthKeyHash(
        hashAuthKey(authKey),
        deriveStaffKeys('staff password', fromB64u(file.kdfSalt)).authKey,
      ),
    ).toBe(true);
    expect(() => openStaffKeyFile(file, 'wrong password')).toThrow(DecryptionError);
    expect(() =>
      openStaffKeyFile(
        {
          ...file,
          boxPk: libsodium.to_base64(new Uint8Array(32), libsodium.base64_variants.URLSAFE_NO_PADDING),
        },
        'staff password',
      ),
    ).toThrow(DecryptionError);
  });
});
