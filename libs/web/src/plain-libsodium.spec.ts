import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import plain from 'libsodium-wrappers';
import sumo from 'libsodium-wrappers-sumo';
import { cryptoReady, generateRootKey } from '@panah/crypto';

// The web clients alias libsodium-wrappers-sumo to the plain build (306 KB gzip instead of 391).
// Every primitive libs/crypto calls must exist there, except password hashing (pluggable, see
// libs/crypto/src/pwhash.ts) and the two Ed25519 accessors sodium.ts completes.
const PLUGGABLE = new Set([
  'crypto_pwhash',
  'crypto_pwhash_ALG_ARGON2ID13',
  'crypto_pwhash_str',
  'crypto_pwhash_str_verify',
  'crypto_pwhash_str_needs_rehash',
]);
const COMPLETED = new Set(['crypto_sign_ed25519_sk_to_pk', 'crypto_sign_ed25519_sk_to_seed']);
// Used only by code the browsers do not run: solveProofOfWork (the CLI); the web clients solve with
// libs/web's hash-wasm SHA-256 (pow.spec.ts proves it finds the same nonce).
const NOT_IN_BROWSERS = new Set(['crypto_hash_sha256']);

function primitivesUsedByLibsCrypto(): string[] {
  const dir = join(process.cwd(), 'libs', 'crypto', 'src');
  const names = new Set<string>();
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.ts') || file.endsWith('.spec.ts')) continue;
    for (const m of readFileSync(join(dir, file), 'utf8').matchAll(
      /\.(crypto_[a-z0-9_]+|randombytes_[a-z]+|memzero|memcmp)\b/gi,
    ))
      names.add(m[1]);
  }
  return [...names].sort();
}

beforeAll(async () => {
  await Promise.all([plain.ready, sumo.ready, cryptoReady()]);
});

describe('the plain libsodium build the web clients bundle', () => {
  it('has every primitive libs/crypto uses, bar pluggable password hashing and the completed accessors', () => {
    const used = primitivesUsedByLibsCrypto();
    expect(used.length).toBeGreaterThan(20);
    const missing = used.filter(
      (n) =>
        (plain as unknown as Record<string, unknown>)[n] === undefined &&
        !PLUGGABLE.has(n) &&
        !COMPLETED.has(n) &&
        !NOT_IN_BROWSERS.has(n),
    );
    expect(missing).toEqual([]);
  });

  it('completes the Ed25519 accessors exactly as the sumo build computes them', () => {
    const { privateKey } = generateRootKey();
    expect(Buffer.from(privateKey.slice(32, 64))).toEqual(
      Buffer.from(sumo.crypto_sign_ed25519_sk_to_pk(privateKey)),
    );
    expect(Buffer.from(privateKey.slice(0, 32))).toEqual(
      Buffer.from(sumo.crypto_sign_ed25519_sk_to_seed(privateKey)),
    );
  });
});
