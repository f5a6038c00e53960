/// <reference lib="webworker" />
/**
 * Argon2id off the main thread, so the page stays responsive and can show progress. Only
 * hash-wasm's WebAssembly Argon2id lives here (the plain libsodium build the page bundles has no
 * crypto_pwhash; hash-wasm is proven byte-identical to crypto_pwhash ARGON2ID13,
 * libs/web/src/argon2.spec.ts), so this file stays a few KB instead of a second copy of
 * libsodium. It receives the password bytes, salt and limits, answers the 32-byte master key
 * (crypto-v1 §4), wipes its copy of the password, and is terminated after one use.
 */
import { hashWasmArgon2id } from '@panah/web';

export interface KdfRequest {
  readonly password: Uint8Array;
  readonly salt: Uint8Array;
  readonly opsLimit: number;
  readonly memLimitBytes: number;
  readonly outLen: number;
}

export type KdfReply =
  | { readonly type: 'ready' }
  | { readonly type: 'done'; readonly master: Uint8Array; readonly ms: number }
  | { readonly type: 'error'; readonly message: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<KdfRequest>) => {
  try {
    scope.postMessage({ type: 'ready' } satisfies KdfReply);
    const started = performance.now();
    const master = await hashWasmArgon2id(event.data);
    const reply: KdfReply = { type: 'done', master, ms: performance.now() - started };
    scope.postMessage(reply, [master.buffer as ArrayBuffer]);
  } catch (error) {
    scope.postMessage({
      type: 'error',
      message: error instanceof Error ? error.name : 'error',
    } satisfies KdfReply);
  } finally {
    event.data.password.fill(0);
  }
};
