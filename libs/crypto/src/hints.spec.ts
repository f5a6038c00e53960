import libsodium from 'libsodium-wrappers-sumo';
import { unhex, vectors } from '../test-vectors';
import { CryptoFormatError, DecryptionError, UnknownDataKeyError } from './errors';
import { encryptHintsWith, HintsCipher } from './hints';
import { cryptoReady } from './sodium';

beforeAll(() => cryptoReady());

const v = vectors.hints;
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('HintsCipher (spec §6)', () => {
  it('produces the vector stored form with the vector nonce', () => {
    expect(encryptHintsWith(v.keyId, unhex(v.keyHex), v.reportId, v.json, unhex(v.nonceHex))).toBe(v.stored);
  });

  it('decrypts the vector', () => {
    const cipher = new HintsCipher({ currentKeyId: v.keyId, keys: new Map([[v.keyId, unhex(v.keyHex)]]) });
    expect(text(cipher.decrypt(v.reportId, v.stored))).toBe(v.json);
  });

  it('reads data written under a retired key after rotation and says it needs re-encryption', () => {
    const oldKey = libsodium.randombytes_buf(32);
    const newKey = libsodium.randombytes_buf(32);
    const before = new HintsCipher({ currentKeyId: 'k1', keys: new Map([['k1', oldKey]]) });
    const stored = before.encrypt('r-1', '{"a":1}');
    const after = new HintsCipher({
      currentKeyId: 'k2',
      keys: new Map([
        ['k1', oldKey],
        ['k2', newKey],
      ]),
    });
    expect(text(after.decrypt('r-1', stored))).toBe('{"a":1}');
    expect(after.needsReencrypt(stored)).toBe(true);
    const fresh = after.encrypt('r-1', '{"a":1}');
    expect(fresh.startsWith('v1.k2.')).toBe(true);
    expect(after.needsReencrypt(fresh)).toBe(false);
  });

  it('raises UnknownDataKeyError for a key id it does not hold', () => {
    const a = new HintsCipher({ currentKeyId: 'k1', keys: new Map([['k1', libsodium.randombytes_buf(32)]]) });
    const b = new HintsCipher({ currentKeyId: 'k9', keys: new Map([['k9', libsodium.randombytes_buf(32)]]) });
    expect(() => b.decrypt('r', a.encrypt('r', '{}'))).toThrow(UnknownDataKeyError);
  });

  it('rejects another report id, tampering and malformed values', () => {
    const cipher = new HintsCipher({ currentKeyId: v.keyId, keys: new Map([[v.keyId, unhex(v.keyHex)]]) });
    expect(() => cipher.decrypt('another-report', v.stored)).toThrow(DecryptionError);
    const last = v.stored.at(-1) === 'A' ? 'B' : 'A';
    expect(() => cipher.decrypt(v.reportId, v.stored.slice(0, -2) + last + 'A')).toThrow(/hints|base64url/);
    for (const bad of [
      '',
      'v2.k.a.b',
      'v1..AAAA.AAAA',
      'v1.k.AAAA.AAAA',
      `v1.bad key.${v.stored.split('.')[2]}.AAAA`,
    ]) {
      expect(() => cipher.decrypt(v.reportId, bad)).toThrow(CryptoFormatError);
    }
  });

  it('validates the key ring at construction', () => {
    expect(() => new HintsCipher({ currentKeyId: 'k', keys: new Map([['k', new Uint8Array(16)]]) })).toThrow(
      CryptoFormatError,
    );
    expect(() => new HintsCipher({ currentKeyId: 'x', keys: new Map([['k', new Uint8Array(32)]]) })).toThrow(
      'currentKeyId',
    );
    expect(
      () => new HintsCipher({ currentKeyId: 'a.b', keys: new Map([['a.b', new Uint8Array(32)]]) }),
    ).toThrow(CryptoFormatError);
  });

  it('keeps its own copy of the keys and wipes it on destroy', () => {
    const key = libsodium.randombytes_buf(32);
    const cipher = new HintsCipher({ currentKeyId: 'k', keys: new Map([['k', key]]) });
    const stored = cipher.encrypt('r', '{}');
    key.fill(0);
    expect(text(cipher.decrypt('r', stored))).toBe('{}');
    cipher.destroy();
    expect(() => cipher.decrypt('r', stored)).toThrow(UnknownDataKeyError);
  });
});
