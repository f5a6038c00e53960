import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { AUTH_HASH_MEM, AUTH_HASH_OPS } from '@panah/crypto';

/**
 * The worker's whole program: libsodium's crypto_pwhash_str(_verify) (what libs/crypto's
 * hashAuthKey/verifyAuthKeyHash call), one job at a time. Plain JavaScript evaluated by
 * worker_threads, so the same code runs under the CommonJS build and the tests' native ESM.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const sodium = require(workerData.sodiumPath);
sodium.ready.then(() => {
  parentPort.postMessage({ ready: true });
  parentPort.on('message', (job) => {
    let reply;
    try {
      if (job.op === 'verify') {
        let ok = false;
        try { ok = job.key.length === 32 && sodium.crypto_pwhash_str_verify(job.hash, job.key); } catch { ok = false; }
        reply = { id: job.id, ok };
      } else {
        reply = { id: job.id, hash: sodium.crypto_pwhash_str(job.key, workerData.ops, workerData.mem) };
      }
    } catch (error) {
      reply = { id: job.id, error: error && error.name ? error.name : 'error' };
    }
    job.key.fill(0);
    parentPort.postMessage(reply);
  });
});
`;

interface Job {
  readonly id: number;
  readonly resolve: (reply: Reply) => void;
  readonly reject: (error: Error) => void;
}
interface Reply {
  readonly id: number;
  readonly ok?: boolean;
  readonly hash?: string;
  readonly error?: string;
}
interface Slot {
  worker: Worker;
  readonly pending: Map<number, Job>;
}

function sodiumPath(): string {
  // `require` exists in the CommonJS build; the tests run as native ESM from the repository root.
  const req = typeof require === 'function' ? require : createRequire(join(process.cwd(), 'package.json'));
  return req.resolve('libsodium-wrappers-sumo');
}

/**
 * Argon2id for staff sign-in and registration off the event loop (issue 18 point 9): a pool of
 * `ARGON2_THREADS` worker threads, each running one hash or verification at a time, so a burst
 * of sign-ins waits its turn there while every other request (health checks, alerts) is served.
 */
@Injectable()
export class Argon2Pool implements OnModuleDestroy {
  private readonly logger = new Logger(Argon2Pool.name);
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private closed = false;
  private readonly path = sodiumPath();

  constructor(@Inject(PANAH_CONFIG) private readonly config: PanahConfig) {}

  /** Constant-time check of a presented authKey against a stored hash; false for a bad hash. */
  async verify(hash: string, authKey: Uint8Array): Promise<boolean> {
    if (authKey.length !== 32) return false;
    const reply = await this.run({ op: 'verify', hash, key: Uint8Array.from(authKey) });
    return reply.ok === true;
  }

  /** `crypto_pwhash_str` of an authKey with the server's limits (libs/crypto hashAuthKey). */
  async hash(authKey: Uint8Array): Promise<string> {
    const reply = await this.run({ op: 'hash', key: Uint8Array.from(authKey) });
    if (reply.hash === undefined) throw new Error(`Argon2id hash failed (${reply.error ?? 'unknown'})`);
    return reply.hash;
  }

  private run(message: { op: 'verify' | 'hash'; hash?: string; key: Uint8Array }): Promise<Reply> {
    if (this.closed) return Promise.reject(new Error('Argon2 pool is closed'));
    const slot = this.pick();
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      slot.pending.set(id, { id, resolve, reject });
      slot.worker.postMessage({ ...message, id }, [message.key.buffer as ArrayBuffer]);
    });
  }

  /** The least busy worker, starting another while the pool is below its size. */
  private pick(): Slot {
    const idle = this.slots.find((s) => s.pending.size === 0);
    if (idle) return idle;
    if (this.slots.length < this.config.api.argon2Threads) {
      const slot: Slot = { worker: this.spawn(), pending: new Map() };
      this.slots.push(slot);
      this.attach(slot);
      return slot;
    }
    return this.slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      name: 'argon2',
      workerData: { sodiumPath: this.path, ops: AUTH_HASH_OPS, mem: AUTH_HASH_MEM },
    });
    worker.unref(); // idle threads never keep a process alive
    return worker;
  }

  private attach(slot: Slot): void {
    slot.worker.on('message', (reply: Reply & { ready?: boolean }) => {
      if (reply.ready) return;
      const job = slot.pending.get(reply.id);
      if (!job) return;
      slot.pending.delete(reply.id);
      job.resolve(reply);
    });
    slot.worker.on('error', (error) => {
      this.logger.error({ err: error.name }, 'Argon2 worker failed; starting another');
    });
    slot.worker.on('exit', () => {
      for (const job of slot.pending.values()) job.reject(new Error('Argon2 worker exited'));
      slot.pending.clear();
      if (this.closed) return;
      slot.worker = this.spawn();
      this.attach(slot);
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
