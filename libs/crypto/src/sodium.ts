import libsodium from 'libsodium-wrappers-sumo';
import { CryptoNotReadyError } from './errors';

export type Sodium = typeof libsodium;

let readyPromise: Promise<void> | undefined;
let ready = false;

/**
 * Initialises libsodium (WebAssembly) once. Every other function in @panah/crypto is synchronous
 * and throws CryptoNotReadyError until this promise has resolved, so a forgotten `await` fails
 * loudly instead of racing the WASM load.
 */
export function cryptoReady(): Promise<void> {
  readyPromise ??= libsodium.ready.then(() => {
    completePlainBuild(libsodium);
    ready = true;
  });
  return readyPromise;
}

/** The initialised libsodium instance (internal to @panah/crypto). */
export function sodium(): Sodium {
  if (!ready) throw new CryptoNotReadyError();
  return libsodium;
}

/** Overwrites secret bytes; tolerates undefined so `finally` blocks stay short. */
export function wipe(...buffers: (Uint8Array | undefined)[]): void {
  for (const b of buffers) if (b !== undefined) libsodium.memzero(b);
}

/**
 * The web clients bundle the plain libsodium build (the sumo one alone is over their size budget).
 * It lacks two Ed25519 accessors; libsodium's 64-byte secret key is seed(32) || publicKey(32), so
 * they are slices (sodium.spec.ts checks them against the sumo build). Password hashing is
 * pluggable instead (pwhash.ts).
 */
function completePlainBuild(s: Sodium): void {
  const m = s as unknown as Record<string, unknown>;
  if (typeof m.crypto_sign_ed25519_sk_to_pk !== 'function')
    m.crypto_sign_ed25519_sk_to_pk = (sk: Uint8Array) => sk.slice(32, 64);
  if (typeof m.crypto_sign_ed25519_sk_to_seed !== 'function')
    m.crypto_sign_ed25519_sk_to_seed = (sk: Uint8Array) => sk.slice(0, 32);
}
