import { deriveStaffMasterWith, staffAuthKey, staffEncKey, type Argon2idParams } from '@panah/crypto';
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
 * Argon2id in a Web Worker. hash-wasm's Argon2id is one call with no progress hook, so
 * `onProgress` gets a fraction that follows the elapsed time against the last measured duration
 * (held below 95 % until the worker answers): honest about "working", never a frozen page.
 */
function argon2idInWorker(
  params: Argon2idParams,
  onProgress: (fraction: number) => void,
  onMs: (ms: number) => void,
): Promise<Uint8Array> {
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
          // A local timing entry (never sent anywhere) that bench/console reads apart.
          performance.measure('panah-kdf', { start: performance.now() - msg.ms, duration: msg.ms });
          onMs(msg.ms);
          onProgress(1);
          resolve(msg.master);
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
    // A copy of the password bytes goes to the worker (which wipes it); the caller wipes its own.
    const request: KdfRequest = { ...params, password: params.password.slice() };
    worker.postMessage(request, [request.password.buffer as ArrayBuffer]);
  });
}

/**
 * crypto-v1 §4 in the browser: the master key from Argon2id MODERATE in a worker, then authKey and
 * encKey derived here with the page's libsodium; the master key is wiped at once.
 */
export async function deriveInWorker(
  password: string,
  kdfSalt: Uint8Array,
  onProgress: (fraction: number) => void,
): Promise<DerivedKeys> {
  let ms = 0;
  const master = await deriveStaffMasterWith(password, kdfSalt, (p) =>
    argon2idInWorker(p, onProgress, (m) => (ms = m)),
  );
  try {
    return { authKey: staffAuthKey(master), encKey: staffEncKey(master), ms };
  } finally {
    master.fill(0);
  }
}
