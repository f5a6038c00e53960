import fc from 'fast-check';
import libsodium from 'libsodium-wrappers-sumo';
import { hex, unhex, vectors } from '../test-vectors';
import { CryptoFormatError } from './errors';
import {
  b64uDecodedLength,
  bytesEqual,
  fromB64u,
  fromB64uExact,
  fromUtf8,
  kdf,
  kid,
  randomBytes,
  toB64u,
} from './encoding';
import { cryptoReady } from './sodium';

const v = vectors.encoding;

describe('encoding (spec §0)', () => {
  describe('after cryptoReady', () => {
    beforeAll(() => cryptoReady());

    it.each(v.kid)('kid($pkHex) matches the vector', ({ pkHex, kid: expected }) => {
      expect(kid(unhex(pkHex))).toBe(expected);
    });

    it.each(v.kdf)('kdf($length, $id, $ctx) matches the vector', ({ length, id, ctx, keyHex, outHex }) => {
      expect(hex(kdf(length, id, ctx, unhex(keyHex)))).toBe(outHex);
    });

    it('rejects a kdf context that is not 8 ASCII characters', () => {
      expect(() => kdf(32, 1, 'short', new Uint8Array(32))).toThrow(CryptoFormatError);
      expect(() => kdf(32, 1, 'panahrepx', new Uint8Array(32))).toThrow(CryptoFormatError);
    });

    it.each(v.b64uValid)('encodes and decodes $b64u both ways', ({ hex: h, b64u }) => {
      expect(toB64u(unhex(h))).toBe(b64u);
      expect(hex(fromB64u(b64u))).toBe(h);
    });

    it.each(v.b64uInvalid)('rejects non-canonical or padded base64url %j', (text) => {
      expect(() => fromB64u(text, 'field.path')).toThrow(CryptoFormatError);
      try {
        fromB64u(text, 'field.path');
      } catch (error) {
        expect((error as CryptoFormatError).field).toBe('field.path');
      }
    });

    it('agrees with libsodium URLSAFE_NO_PADDING on random bytes, both ways', () => {
      const variant = libsodium.base64_variants.URLSAFE_NO_PADDING;
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
          const text = toB64u(bytes);
          expect(text).toBe(libsodium.to_base64(bytes, variant));
          expect(hex(fromB64u(text))).toBe(hex(bytes));
          expect(b64uDecodedLength(text)).toBe(bytes.length);
        }),
        { numRuns: 500 },
      );
    });

    it('accepts exactly the strings libsodium accepts, minus non-canonical ones', () => {
      const variant = libsodium.base64_variants.URLSAFE_NO_PADDING;
      fc.assert(
        fc.property(fc.string({ unit: fc.constantFrom(...'AQgw_-+/= Z9'), maxLength: 12 }), (text) => {
          let theirs: Uint8Array | undefined;
          try {
            theirs = libsodium.from_base64(text, variant);
          } catch {
            theirs = undefined;
          }
          let ours: Uint8Array | undefined;
          try {
            ours = fromB64u(text);
          } catch {
            ours = undefined;
          }
          if (ours !== undefined) expect(theirs && hex(theirs)).toBe(hex(ours));
          if (theirs !== undefined && libsodium.to_base64(theirs, variant) === text)
            expect(ours).toBeDefined();
        }),
        { numRuns: 2000 },
      );
    });

    it('rejects non-strings and wrong lengths with the field path', () => {
      expect(() => fromB64u(42, 'x')).toThrow('x: must be a base64url string');
      expect(() => fromB64uExact('AAAA', 24, 'nonce')).toThrow('nonce: must decode to 24 bytes');
    });

    it('rejects invalid UTF-8 instead of replacing it', () => {
      expect(() => fromUtf8(new Uint8Array([0xff, 0xfe]))).toThrow(CryptoFormatError);
      expect(fromUtf8(new Uint8Array([0xd9, 0xbe]))).toBe('پ');
    });

    it('compares bytes in constant time and treats length differences as unequal', () => {
      expect(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
      expect(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
      expect(bytesEqual(new Uint8Array([1]), new Uint8Array([1, 0]))).toBe(false);
    });
  });

  it("draws random bytes of any length, past getRandomValues' 64 KiB limit per call", () => {
    expect(randomBytes(0)).toEqual(new Uint8Array(0));
    expect(randomBytes(24)).toHaveLength(24);
    expect(bytesEqual(randomBytes(24), randomBytes(24))).toBe(false);
    const big = randomBytes(65_536 * 2 + 7);
    expect(big).toHaveLength(131_079);
    // Every 64 KiB chunk (and the 7-byte tail) was filled, not left as zeros.
    for (const at of [0, 65_536, 131_072]) expect(big.subarray(at, at + 7).some((b) => b !== 0)).toBe(true);
  });
});
