/** The page's side of the crypto worker: one promise per request, progress through a callback. */
import type { Envelope, SignedDirectory } from '@panah/crypto';
import type {
  AttachmentRef,
  DerivedIdentity,
  DirectoryInfo,
  OpenedMessage,
  Request,
  Response,
} from './protocol';

export type Progress = (fraction: number, phase: string) => void;

export class CryptoError extends Error {
  constructor(
    readonly kind: string,
    readonly field: string | undefined,
  ) {
    super(field ?? kind);
  }
}

class CryptoWorker {
  private worker: Worker | undefined;
  private next = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void; progress?: Progress }
  >();

  private get w(): Worker {
    if (!this.worker) {
      this.worker = new Worker(new URL('./worker.ts', import.meta.url), {
        type: 'module',
        name: 'panah-crypto',
      });
      this.worker.onmessage = (event: MessageEvent<Response>) => {
        const msg = event.data;
        const p = this.pending.get(msg.id);
        if (!p) return;
        if ('progress' in msg) return p.progress?.(msg.progress, msg.phase);
        this.pending.delete(msg.id);
        if (msg.ok) p.resolve(msg.value);
        else p.reject(new CryptoError(msg.error, msg.field));
      };
    }
    return this.worker;
  }

  call<T>(req: Request, progress?: Progress): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, progress });
      const transfer = req.op === 'encryptAttachment' ? [req.bytes] : [];
      this.w.postMessage({ id, req }, transfer);
    });
  }

  /** Ends the worker: every key it held is gone with it. */
  terminate(): void {
    this.worker?.terminate();
    this.worker = undefined;
    for (const p of this.pending.values()) p.reject(new CryptoError('Terminated', undefined));
    this.pending.clear();
  }
}

const worker = new CryptoWorker();

export const crypto = {
  init: (deploymentId: string, rootPk: string) => worker.call<null>({ op: 'init', deploymentId, rootPk }),
  newCodes: () => worker.call<{ code: string; duress: string }>({ op: 'newCodes' }),
  normalise: (code: string) => worker.call<string>({ op: 'normalise', code }),
  derive: (code: string, slot: 'primary' | 'duress', progress?: Progress) =>
    worker.call<DerivedIdentity>({ op: 'derive', code, slot }, progress),
  solvePow: (challenge: string, difficulty: number, progress?: Progress) =>
    worker.call<string>({ op: 'solvePow', challenge, difficulty }, progress),
  signChallenge: (challenge: string) => worker.call<string>({ op: 'signChallenge', challenge }),
  verifyDirectory: (doc: SignedDirectory) => worker.call<DirectoryInfo>({ op: 'verifyDirectory', doc }),
  seal: (kind: 'report' | 'message', id: string, plaintext: string) =>
    worker.call<Envelope>({ op: 'seal', kind, id, plaintext }),
  encryptAttachment: (
    id: string,
    file: { name: string; mime: string; bytes: ArrayBuffer },
    progress?: Progress,
  ) =>
    worker.call<{ ref: AttachmentRef; blob: ArrayBuffer }>(
      { op: 'encryptAttachment', id, ...file },
      progress,
    ),
  openMessages: (items: readonly { id: string; envelope: Envelope; from: string }[]) =>
    worker.call<OpenedMessage[]>({ op: 'openMessages', items }),
  signSignal: (kind: 'checkin' | 'panic', id: string, at: string) =>
    worker.call<{ kid: string; signature: string }>({ op: 'signSignal', kind, id, at }),
  forget: async () => {
    await worker.call<null>({ op: 'forget' }).catch(() => null);
    worker.terminate();
  },
};
