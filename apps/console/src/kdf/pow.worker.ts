/// <reference lib="webworker" />
/**
 * Sign-in proof of work (crypto-v1 §7) off the main thread: asked for only after many recent
 * attempts for a login name, so the page keeps showing progress while a few hundred thousand
 * SHA-256 hashes run. Receives the challenge and difficulty, answers the nonce.
 */
import { cryptoReady, fromB64u, toB64u } from '@panah/crypto';
import { solveProofOfWorkWasm } from '@panah/web';

export interface PowRequest {
  readonly challenge: string;
  readonly difficulty: number;
}

export type PowReply =
  | { readonly type: 'progress'; readonly tried: number }
  | { readonly type: 'done'; readonly nonce: string }
  | { readonly type: 'error'; readonly message: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<PowRequest>) => {
  try {
    await cryptoReady();
    const nonce = await solveProofOfWorkWasm(
      fromB64u(event.data.challenge, 'challenge'),
      event.data.difficulty,
      (tried) => scope.postMessage({ type: 'progress', tried } satisfies PowReply),
    );
    scope.postMessage({ type: 'done', nonce: toB64u(nonce) } satisfies PowReply);
  } catch (error) {
    scope.postMessage({
      type: 'error',
      message: error instanceof Error ? error.name : 'error',
    } satisfies PowReply);
  }
};
