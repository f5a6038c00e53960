import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import type { PanahConfig } from '@panah/config';
import { freePort } from '../test/support/redis-server';

/** Benchmarks print figures; they never assert (timing assertions belong nowhere on shared machines). */
export interface HttpLoadResult {
  readonly scenario: string;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
}

export interface HttpLoadOptions {
  readonly scenario: string;
  readonly url: string;
  readonly durationSeconds?: number;
  readonly connections?: number;
  readonly method?: 'GET' | 'PUT' | 'POST';
  readonly headers?: Record<string, string>;
  /** Called for each request; return a body (and optionally a path) so each request can differ. */
  readonly setupRequest?: () => { path?: string; body?: string };
  /** Fixed request rate (requests/s across all connections); omit for "as fast as possible". */
  readonly overallRate?: number;
}

/** Runs autocannon against `url` (loopback only) and returns throughput and latency percentiles. */
export async function httpLoad(options: HttpLoadOptions): Promise<HttpLoadResult> {
  const url = new URL(options.url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new Error('benchmarks target loopback only');
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'GET',
    headers: options.headers,
    duration: options.durationSeconds ?? 10,
    connections: options.connections ?? 10,
    overallRate: options.overallRate,
    requests: options.setupRequest
      ? [{ setupRequest: (req: autocannon.Request) => ({ ...req, ...options.setupRequest?.() }) }]
      : undefined,
  });
  return {
    scenario: options.scenario,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

export function printHttpLoad(r: HttpLoadResult): void {
  console.log(
    `${r.scenario.padEnd(28)} ${r.requestsPerSecond.toFixed(0).padStart(8)} req/s   p50 ${r.p50Ms.toFixed(1).padStart(6)} ms   p99 ${r.p99Ms.toFixed(1).padStart(6)} ms   non-2xx ${r.non2xx}   errors ${r.errors}`,
  );
}

/** Percentile of a list of numbers (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** The environment that reproduces a validated config, for running a process of its own. */
export function configEnv(config: PanahConfig, extra: Record<string, string> = {}): Record<string, string> {
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

/**
 * The built API (`npm run build`) as a process of its own, so the load generator does not share
 * its event loop (in-process figures are lower bounds).
 */
export async function spawnApi(env: Record<string, string>): Promise<{ url: string; close(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/apps/api/apps/api/src/main.js'], {
    env: { PATH: process.env.PATH ?? '', ...env, API_HOST: '127.0.0.1', API_PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`api exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/health/ready`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
