import type { PowReply, PowRequest } from './pow.worker';

/** The `pow` of a 401 `login/pow_required` answer. */
export interface PowChallenge {
  readonly challenge: string;
  readonly difficulty: number;
}

export function isPowChallenge(value: unknown): value is PowChallenge {
  const v = value as Partial<PowChallenge> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.challenge === 'string' &&
    Number.isInteger(v.difficulty) &&
    (v.difficulty as number) >= 0 &&
    (v.difficulty as number) <= 32
  );
}

/** Solves a sign-in proof of work in a Web Worker; `onProgress` follows the expected 2^difficulty hashes. */
export function solvePowInWorker(pow: PowChallenge, onProgress: (fraction: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./pow.worker.ts', import.meta.url), { type: 'module', name: 'pow' });
    const expected = 2 ** pow.difficulty;
    worker.onmessage = (event: MessageEvent<PowReply>) => {
      const msg = event.data;
      switch (msg.type) {
        case 'progress':
          onProgress(Math.min(0.95, msg.tried / expected));
          break;
        case 'done':
          worker.terminate();
          onProgress(1);
          resolve(msg.nonce);
          break;
        case 'error':
          worker.terminate();
          reject(new Error(`proof of work failed (${msg.message})`));
          break;
      }
    };
    worker.onerror = () => {
      worker.terminate();
      reject(new Error('proof of work failed (worker)'));
    };
    const request: PowRequest = { challenge: pow.challenge, difficulty: pow.difficulty };
    worker.postMessage(request);
  });
}
