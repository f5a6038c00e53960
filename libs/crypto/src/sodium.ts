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
