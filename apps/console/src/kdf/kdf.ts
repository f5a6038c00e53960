import type { KdfReply, KdfRequest } from './kdf.worker';

/** How long the last derivation took on this device; the first estimate is a laptop's. */
let estimateMs = 3000;

export interface DerivedKeys {
  readonly authKey: Uint8Array;
  readonly encKey: Uint8Array;
  /** Time spent in Argon2id itself (the bench prints it apart). */
  readonly ms: number;
}

/**
 * Runs Argon2id in a Web Worker. libsodium's crypto_pwhash is one call with no progress hook, so
 * `onProgress` gets a fraction that follows the elapsed time against the last measured duration
 * (held below 95 % until the worker answers): honest about "working", never a frozen page.
 */
export function deriveInWorker(
  password: string,
  kdfSalt: Uint8Array,
  onProgress: (fraction: number) => void,
): Promise<DerivedKeys> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./kdf.worker.ts', import.meta.url), {
      type: 'module',
      name: 'argon2id',
    });
    let started = 0;
    let timer: ReturnType<typeof setInterval> | undefined;
    const finish = () => {
      if (timer !== undefined) clearInterval(timer);
      worker.terminate();
    };
    onProgress(0);
    worker.onmessage = (event: MessageEvent<KdfReply>) => {
      const msg = event.data;
      switch (msg.type) {
        case 'ready':
          started = performance.now();
          timer = setInterval(
            () => onProgress(Math.min(0.95, (performance.now() - started) / estimateMs)),
            100,
          );
          break;
        case 'done':
          finish();
          estimateMs = Math.max(500, msg.ms);
          onProgress(1);
          resolve({ authKey: msg.authKey, encKey: msg.encKey, ms: msg.ms });
          break;
        case 'error':
          finish();
          reject(new Error(`key derivation failed (${msg.message})`));
          break;
      }
    };
    worker.onerror = () => {
      finish();
      reject(new Error('key derivation failed (worker)'));
    };
    const request: KdfRequest = { password, kdfSalt };
    worker.postMessage(request);
  });
}
