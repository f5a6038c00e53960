/// <reference lib="webworker" />
/**
 * Argon2id (MODERATE: 3 passes, 256 MiB) off the main thread, so the page stays responsive and
 * can show progress. Receives the password and salt, answers authKey and encKey (crypto-v1 §4);
 * the password and master key never leave this worker, and the worker is terminated after one use.
 */
import { cryptoReady, deriveStaffMasterWith, staffAuthKey, staffEncKey } from '@panah/crypto';
import { hashWasmArgon2id } from '@panah/web';

export interface KdfRequest {
  readonly password: string;
  readonly kdfSalt: Uint8Array;
}

export type KdfReply =
  | { readonly type: 'ready' }
  | { readonly type: 'done'; readonly authKey: Uint8Array; readonly encKey: Uint8Array; readonly ms: number }
  | { readonly type: 'error'; readonly message: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<KdfRequest>) => {
  try {
    await cryptoReady();
    scope.postMessage({ type: 'ready' } satisfies KdfReply);
    const started = performance.now();
    // The web build bundles plain libsodium (no crypto_pwhash): Argon2id is hash-wasm's, proven
    // byte-identical to crypto_pwhash ARGON2ID13 (libs/web/src/argon2.spec.ts).
    const master = await deriveStaffMasterWith(event.data.password, event.data.kdfSalt, hashWasmArgon2id);
    const authKey = staffAuthKey(master);
    const encKey = staffEncKey(master);
    master.fill(0);
    const reply: KdfReply = { type: 'done', authKey, encKey, ms: performance.now() - started };
    scope.postMessage(reply, [authKey.buffer as ArrayBuffer, encKey.buffer as ArrayBuffer]);
  } catch (error) {
    scope.postMessage({
      type: 'error',
      message: error instanceof Error ? error.name : 'error',
    } satisfies KdfReply);
  }
};
