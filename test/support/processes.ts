import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freePort } from './redis-server';

/**
 * Where `npm run build` puts each process's entry point. PANAH_BUILT_ROOT runs another build
 * (e.g. a checkout of an older commit) under the same tests, to show a test fails there.
 */
const ROOT = process.env.PANAH_BUILT_ROOT ? `${process.env.PANAH_BUILT_ROOT.replace(/\/$/, '')}/` : '';
export const BUILT = {
  api: `${ROOT}dist/apps/api/apps/api/src/main.js`,
  worker: `${ROOT}dist/apps/worker/apps/worker/src/main.js`,
} as const;

export function assertBuilt(): void {
  for (const path of Object.values(BUILT))
    if (!existsSync(path)) throw new Error(`${path} missing: run npm run build first`);
}

/**
 * A built API or worker as a process of its own (as in production: its own event loop, its own
 * signal handling, its own exit code), with its output kept for assertions.
 */
export class BuiltProcess {
  readonly lines: string[] = [];
  readonly exited: Promise<number | null>;
  exitCode: number | null | undefined = undefined;
  exitSignal: NodeJS.Signals | null = null;

  private constructor(
    readonly kind: 'api' | 'worker',
    readonly url: string,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        resolve(code);
      }),
    );
    const keep = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) this.lines.push(line);
      if (this.lines.length > 20_000) this.lines.splice(0, this.lines.length - 20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  /** Spawns it; resolves once it answers /health/live (readiness may still be failing). */
  static async start(
    kind: 'api' | 'worker',
    env: Record<string, string>,
    options: { waitReady?: boolean } = {},
  ): Promise<BuiltProcess> {
    const port = await freePort();
    const listen =
      kind === 'api'
        ? { API_HOST: '127.0.0.1', API_PORT: String(port) }
        : { WORKER_HOST: '127.0.0.1', WORKER_PORT: String(port) };
    const child = spawn(process.execPath, [BUILT[kind]], {
      // PANAH_ENV_FILE=/dev/null: a .env in the working directory is never read by accident.
      env: { PATH: process.env.PATH ?? '', PANAH_ENV_FILE: '/dev/null', ...env, ...listen },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const proc = new BuiltProcess(kind, `http://127.0.0.1:${port}`, child);
    const path = options.waitReady === false ? '/health/live' : '/health/ready';
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (proc.exitCode !== undefined)
        throw new Error(`${kind} exited with ${proc.exitCode}: ${proc.lines.slice(-5).join(' | ')}`);
      if (
        await fetch(`${proc.url}${path}`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return proc;
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`${kind} did not answer ${path}: ${proc.lines.slice(-5).join(' | ')}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** SIGTERM and wait for the exit; SIGKILL after `timeoutMs`. Resolves with the exit code. */
  async stop(timeoutMs = 30_000): Promise<number | null> {
    if (!this.running) return this.exitCode ?? null;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  async kill(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Lines (JSON log lines parsed where possible) matching `pattern`. */
  matching(pattern: RegExp): string[] {
    return this.lines.filter((l) => pattern.test(l));
  }
}

/** The environment that reproduces a validated config in a process of its own. */
export function processEnv(
  config: import('@panah/config').PanahConfig,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    NODE_ENV: config.env,
    LOG_LEVEL: 'warn',
    DATABASE_URL: config.db.url,
    DATABASE_POOL_SIZE: String(config.db.poolSize),
    REDIS_URL: config.redis.url,
    REDIS_PREFIX: config.redis.prefix,
    DEPLOYMENT_ID: config.deploymentId,
    DATA_KEYS: [...config.dataKeys.keys].map(([id, key]) => `${id}:${key}`).join(','),
    DATA_KEY_ID: config.dataKeys.current,
    TOKEN_KEY: config.tokenKey,
    ...extra,
  };
}
