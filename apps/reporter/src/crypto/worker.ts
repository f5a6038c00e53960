/// <reference lib="webworker" />
/**
 * The crypto worker: libsodium (plain build) + hash-wasm Argon2id, all through libs/crypto.
 * Secret keys live only here, in memory, until `forget` or the tab closes.
 */
import {
  directoryStaffKey,
  attachmentHash,
  cryptoReady,
  createAttachmentEncryptStream,
  deriveReporterKeysWith,
  formatAccessCode,
  fromB64u,
  fromUtf8,
  generateAccessCode,
  generateAttachmentKey,
  generateDuressCode,
  intakePublicKeys,
  kid,
  normaliseAccessCode,
  openEnvelope,
  sealEnvelope,
  signChallenge,
  signSignal,
  toB64u,
  utf8,
  verifyAuthor,
  verifyDirectory,
  type BoxKeyPair,
  type DirectoryPayload,
  type SignKeyPair,
} from '@panah/crypto';
import { hashWasmArgon2id, solveProofOfWorkWasm } from '@panah/web';
import type { DerivedIdentity, OpenedMessage, Request, Response } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

interface Keys {
  readonly sign: SignKeyPair;
  readonly box: BoxKeyPair;
  readonly reporterId: string;
}

let deploymentId = '';
let rootPk: Uint8Array | null = null;
const keys: { primary?: Keys; duress?: Keys } = {};
let active: Keys | undefined;
let directory: DirectoryPayload | undefined;

function post(message: Response, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

/** Argon2id gives no progress of its own: report elapsed time against a typical phone's run. */
async function withTimedProgress<T>(
  id: number,
  phase: string,
  expectedMs: number,
  work: () => Promise<T>,
): Promise<T> {
  const start = performance.now();
  post({ id, progress: 0, phase });
  const timer = setInterval(
    () => post({ id, progress: Math.min(0.95, (performance.now() - start) / expectedMs), phase }),
    200,
  );
  try {
    return await work();
  } finally {
    clearInterval(timer);
    post({ id, progress: 1, phase });
  }
}

/** Spec §7 (libs/web's hash-wasm solver), with progress against the expected 2^difficulty tries. */
async function solvePow(id: number, challengeB64u: string, difficulty: number): Promise<string> {
  const expected = 2 ** difficulty;
  const nonce = await solveProofOfWorkWasm(fromB64u(challengeB64u, 'challenge'), difficulty, (tried) =>
    post({ id, progress: Math.min(0.95, tried / expected), phase: 'pow' }),
  );
  post({ id, progress: 1, phase: 'pow' });
  return toB64u(nonce);
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} missing`);
  return value;
}

function staffKeyFor(authorKid: string): { signPk: Uint8Array; label: string } | undefined {
  // The staff list (spec §9) rides in the verified payload; verifyDirectory checked every kid.
  return directory ? directoryStaffKey(directory, authorKid) : undefined;
}

async function handle(id: number, req: Request): Promise<unknown> {
  await cryptoReady();
  switch (req.op) {
    case 'init':
      deploymentId = req.deploymentId;
      rootPk = req.rootPk === '' ? null : fromB64u(req.rootPk, 'rootPk');
      return null;
    case 'newCodes': {
      const code = generateAccessCode();
      return { code: formatAccessCode(code), duress: formatAccessCode(generateDuressCode(code)) };
    }
    case 'normalise':
      return normaliseAccessCode(req.code);
    case 'derive': {
      const k = await withTimedProgress(id, 'argon2id', 4000, () =>
        deriveReporterKeysWith(req.code, deploymentId, hashWasmArgon2id),
      );
      const derived: Keys = { sign: k.signKeyPair, box: k.boxKeyPair, reporterId: k.reporterId };
      keys[req.slot] = derived;
      if (req.slot === 'primary') active = derived;
      const out: DerivedIdentity = {
        reporterId: derived.reporterId,
        signPk: toB64u(derived.sign.publicKey),
        boxPk: toB64u(derived.box.publicKey),
      };
      return out;
    }
    case 'solvePow':
      return solvePow(id, req.challenge, req.difficulty);
    case 'signChallenge':
      return toB64u(
        signChallenge(fromB64u(req.challenge, 'challenge'), need(active, 'keys').sign.privateKey),
      );
    case 'verifyDirectory': {
      if (rootPk === null)
        throw Object.assign(new Error('no pinned root key'), { field: 'directory/no_root_key' });
      try {
        directory = verifyDirectory(req.doc, rootPk, {
          now: new Date(),
          deploymentId,
          minSerial: directory?.serial,
        });
      } catch (error) {
        directory = undefined;
        throw Object.assign(new Error('directory refused'), {
          field: `directory/${(error as { reason?: string }).reason ?? 'bad'}`,
        });
      }
      const fp = toB64u(rootPk).slice(0, 20);
      return {
        fingerprint: (fp.match(/.{1,4}/g) as string[]).join(' '),
        serial: directory.serial,
        expiresAt: directory.expiresAt,
        intakeCount: directory.intake.length,
        staffCount: directory.staff?.length ?? 0,
      };
    }
    case 'seal': {
      const dir = need(directory, 'verified directory');
      if (Date.parse(dir.expiresAt) <= Date.now())
        throw Object.assign(new Error('directory expired'), { field: 'directory/expired' });
      return sealEnvelope({
        kind: req.kind,
        id: req.id,
        plaintext: utf8(req.plaintext),
        recipientPublicKeys: intakePublicKeys(dir),
        authorSignSecretKey: need(active, 'keys').sign.privateKey,
      });
    }
    case 'encryptAttachment': {
      const plain = new Uint8Array(req.bytes);
      const key = generateAttachmentKey();
      const parts: Uint8Array[] = [];
      let done = 0;
      const source = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (done >= plain.length) return controller.close();
          const end = Math.min(plain.length, done + 65536);
          controller.enqueue(plain.subarray(done, end));
          done = end;
          post({ id, progress: done / Math.max(1, plain.length), phase: 'encrypt' });
        },
      });
      const reader = source.pipeThrough(createAttachmentEncryptStream(key)).getReader();
      for (;;) {
        const r = await reader.read();
        if (r.done) break;
        parts.push(r.value);
      }
      const blob = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        blob.set(p, at);
        at += p.length;
      }
      const ref = {
        id: req.id,
        key: toB64u(key),
        name: req.name,
        mime: req.mime,
        size: plain.length,
        hash: toB64u(attachmentHash(plain)),
      };
      return { ref, blob: blob.buffer };
    }
    case 'openMessages': {
      const me = need(active, 'keys');
      const myKid = kid(me.sign.publicKey);
      return req.items.map((item): OpenedMessage => {
        let author: OpenedMessage['author'] = 'unverified';
        let label: string | null = null;
        try {
          if (item.envelope.author.kid === myKid) {
            verifyAuthor(item.envelope, me.sign.publicKey);
            author = 'me';
          } else {
            const staff = staffKeyFor(item.envelope.author.kid);
            if (staff) {
              verifyAuthor(item.envelope, staff.signPk);
              author = 'organisation';
              label = staff.label;
            }
          }
        } catch {
          author = 'unverified';
        }
        let text: string | null = null;
        try {
          const plain = JSON.parse(fromUtf8(openEnvelope(item.envelope, me.box))) as {
            text?: unknown;
            body?: unknown;
          };
          text =
            typeof plain.text === 'string' ? plain.text : typeof plain.body === 'string' ? plain.body : null;
        } catch {
          text = null; // my own messages are sealed to the directory, not to me
        }
        return { id: item.id, text, author, label };
      });
    }
    case 'signSignal': {
      const me = need(active, 'keys');
      return {
        kid: kid(me.sign.publicKey),
        signature: signSignal(req.kind, req.id, req.at, me.sign.privateKey),
      };
    }
    case 'forget':
      for (const k of [keys.primary, keys.duress]) {
        k?.sign.privateKey.fill(0);
        k?.box.privateKey.fill(0);
      }
      keys.primary = keys.duress = active = undefined;
      directory = undefined;
      return null;
    default: {
      const never: never = req;
      throw new Error(`unknown op ${String((never as { op: string }).op)}`);
    }
  }
}

self.onmessage = (event: MessageEvent<{ id: number; req: Request }>) => {
  const { id, req } = event.data;
  handle(id, req).then(
    (value) => {
      const transfer =
        value && typeof value === 'object' && 'blob' in value ? [(value as { blob: ArrayBuffer }).blob] : [];
      post({ id, ok: true, value }, transfer);
    },
    (error: unknown) =>
      post({
        id,
        ok: false,
        error: error instanceof Error ? error.constructor.name : 'Error',
        field: (error as { field?: string }).field,
      }),
  );
};
