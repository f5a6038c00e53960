import { CryptoFormatError } from './errors';
import { sodium } from './sodium';

const encoder = new TextEncoder();
// fatal: invalid UTF-8 is an error rather than silently becoming U+FFFD.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
// The base64url alphabet is ASCII, and latin1 decoding maps bytes < 0x80 to the same code points.
const asciiDecoder = new TextDecoder('latin1');

/**
 * RFC 4648 §5 base64url without padding, identical to libsodium's URLSAFE_NO_PADDING (the test
 * vectors and a property test hold it to libsodium). Written in plain TypeScript because
 * libsodium.js's to_base64/from_base64 run at ~60 MB/s, which made multi-MiB envelopes slow to
 * validate on the server; this runs at several hundred MB/s.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ENCODE = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const DECODE = new Int8Array(256).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

export function toB64u(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = new Uint8Array(Math.ceil((n * 4) / 3));
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const x = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = ENCODE[x >> 18];
    out[o++] = ENCODE[(x >> 12) & 63];
    out[o++] = ENCODE[(x >> 6) & 63];
    out[o++] = ENCODE[x & 63];
  }
  if (n - i === 1) {
    const x = bytes[i] << 16;
    out[o++] = ENCODE[x >> 18];
    out[o++] = ENCODE[(x >> 12) & 63];
  } else if (n - i === 2) {
    const x = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out[o++] = ENCODE[x >> 18];
    out[o++] = ENCODE[(x >> 12) & 63];
    out[o++] = ENCODE[(x >> 6) & 63];
  }
  return asciiDecoder.decode(out);
}

/**
 * Validates strict base64url (no padding, no whitespace, not the standard `+/` alphabet, and
 * canonical: unused trailing bits must be zero, so one byte string has exactly one spelling and
 * signatures/kids cannot be malleated through the encoding). Returns the ASCII bytes and the
 * decoded length without decoding, so the server can bound sizes cheaply.
 */
function checkB64u(text: unknown, field: string): { ascii: Uint8Array; length: number } {
  if (typeof text !== 'string') throw new CryptoFormatError(field, 'must be a base64url string');
  const ascii = encoder.encode(text);
  const rest = ascii.length % 4;
  if (rest === 1) throw new CryptoFormatError(field, 'must be unpadded base64url');
  for (let i = 0; i < ascii.length; i++) {
    if (DECODE[ascii[i]] < 0) throw new CryptoFormatError(field, 'must be unpadded base64url');
  }
  if (rest !== 0) {
    const last = DECODE[ascii[ascii.length - 1]];
    if ((rest === 2 && (last & 15) !== 0) || (rest === 3 && (last & 3) !== 0)) {
      throw new CryptoFormatError(field, 'must be canonical base64url');
    }
  }
  return { ascii, length: Math.floor((ascii.length * 3) / 4) };
}

/** The decoded byte length of a strict base64url string (validating it, but not decoding). */
export function b64uDecodedLength(text: unknown, field = 'value'): number {
  return checkB64u(text, field).length;
}

/** Strict base64url decoding (see checkB64u); CryptoFormatError names `field` on any problem. */
export function fromB64u(text: unknown, field = 'value'): Uint8Array {
  const { ascii, length } = checkB64u(text, field);
  const out = new Uint8Array(length);
  let o = 0;
  let i = 0;
  const full = ascii.length - (ascii.length % 4);
  for (; i < full; i += 4) {
    const x =
      (DECODE[ascii[i]] << 18) |
      (DECODE[ascii[i + 1]] << 12) |
      (DECODE[ascii[i + 2]] << 6) |
      DECODE[ascii[i + 3]];
    out[o++] = x >> 16;
    out[o++] = (x >> 8) & 255;
    out[o++] = x & 255;
  }
  const rest = ascii.length - full;
  if (rest >= 2) {
    const x =
      (DECODE[ascii[i]] << 18) | (DECODE[ascii[i + 1]] << 12) | (rest === 3 ? DECODE[ascii[i + 2]] << 6 : 0);
    out[o++] = x >> 16;
    if (rest === 3) out[o++] = (x >> 8) & 255;
  }
  return out;
}

/** Decodes base64url and requires an exact byte length (e.g. nonce 24, wk 80, sig 64). */
export function fromB64uExact(text: unknown, length: number, field: string): Uint8Array {
  const bytes = fromB64u(text, field);
  if (bytes.length !== length) throw new CryptoFormatError(field, `must decode to ${length} bytes`);
  return bytes;
}

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Strict UTF-8 decoding; invalid sequences raise CryptoFormatError. */
export function fromUtf8(bytes: Uint8Array, field = 'value'): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new CryptoFormatError(field, 'must be valid UTF-8');
  }
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Constant-time comparison for secrets and MACs; different lengths are simply unequal. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && sodium().memcmp(a, b);
}

/** `kid(pk) = b64u(crypto_generichash(16, pk))` — the name of any public key (spec §0). */
export function kid(publicKey: Uint8Array): string {
  return toB64u(sodium().crypto_generichash(16, publicKey, null));
}

/** `kdf(n, id, ctx, key) = crypto_kdf_derive_from_key(n, id, ctx, key)`; ctx is 8 ASCII bytes. */
export function kdf(length: number, subkeyId: number, context: string, key: Uint8Array): Uint8Array {
  if (!/^[\x20-\x7e]{8}$/.test(context))
    throw new CryptoFormatError('context', 'must be 8 printable ASCII characters');
  if (key.length !== 32) throw new CryptoFormatError('key', 'must be 32 bytes');
  return sodium().crypto_kdf_derive_from_key(length, subkeyId, context, key);
}

/**
 * `length` bytes from the platform's CSPRNG (Web Crypto's getRandomValues, in Node and browsers
 * alike). Not libsodium's randombytes_buf: its wasm build crosses into JavaScript for every few
 * bytes and cost ~140 µs per call here, a twentieth of the API's CPU per submitted report.
 */
export function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let at = 0; at < length; at += MAX_RANDOM_PER_CALL)
    globalThis.crypto.getRandomValues(out.subarray(at, Math.min(length, at + MAX_RANDOM_PER_CALL)));
  return out;
}
const MAX_RANDOM_PER_CALL = 65_536; // getRandomValues' limit per call
