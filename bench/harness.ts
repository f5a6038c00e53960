import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
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
  readonly setupRequest?: () => { path?: string; body?: string; headers?: Record<string, string> };
}

/** Runs autocannon closed-loop (as fast as the connections go) against `url` (loopback only). */
export async function httpLoad(options: HttpLoadOptions): Promise<HttpLoadResult> {
  const url = new URL(options.url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
    throw new Error('benchmarks target loopback only');
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'GET',
    headers: options.headers,
    duration: options.durationSeconds ?? 10,
    connections: options.connections ?? 10,
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

export interface RateLoadRequest {
  readonly method: 'GET' | 'PUT' | 'POST';
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export interface RateLoadOptions {
  readonly scenario: string;
  readonly url: string;
  readonly ratePerSecond: number;
  readonly durationSeconds: number;
  /** Keep-alive connections available (requests beyond this wait, and that wait is counted). */
  readonly connections?: number;
  readonly next: () => RateLoadRequest;
  /** Called with each 2xx response's send time (ms since the epoch) and its latency. */
  readonly onResponse?: (sentAtMs: number, latencyMs: number) => void;
}

/**
 * Open-loop load at a constant rate: request i is due at start + i / rate whatever happened to
 * the ones before it, and its latency runs from that due time to the response, so a stall shows
 * up in the figures instead of slowing the generator down (no coordinated omission; wrk2's
 * approach). autocannon's `overallRate` is not this: each connection sends back-to-back until
 * its per-second quota is used and then idles, which is full load in bursts.
 */
export async function constantRateLoad(options: RateLoadOptions): Promise<HttpLoadResult> {
  const target = new URL(options.url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname))
    throw new Error('benchmarks target loopback only');
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections ?? 64 });
  const total = Math.round(options.ratePerSecond * options.durationSeconds);
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const pending = new Set<Promise<void>>();
  const send = (request: RateLoadRequest, dueAt: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const req = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: request.method,
          path: request.path,
          headers: request.headers,
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            const latency = performance.now() - dueAt;
            if ((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300) {
              latencies.push(latency);
              options.onResponse?.(performance.timeOrigin + dueAt, latency);
            } else non2xx += 1;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors += 1;
        resolve();
      });
      req.end(request.body);
    });
  const start = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * options.ratePerSecond) + 1);
    for (; sent < due; sent++) {
      const p = send(options.next(), start + (sent * 1000) / options.ratePerSecond);
      pending.add(p);
      void p.then(() => pending.delete(p));
    }
    // Sleep until the next request is due (not a fixed 1 ms tick: a thousand wake-ups a second
    // would take CPU from the system under test on these 2-core machines).
    if (sent < total)
      await new Promise((r) =>
        setTimeout(r, Math.max(1, start + (sent * 1000) / options.ratePerSecond - performance.now())),
      );
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  return {
    scenario: options.scenario,
    requestsPerSecond: latencies.length / elapsed,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    non2xx,
    errors,
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

export interface SpawnedApp {
  readonly url: string;
  readonly pid: number;
  close(): Promise<void>;
}

/**
 * The built API or worker (`npm run build`) as a process of its own, so the load generator does
 * not share its event loop (in-process figures are lower bounds). Resolves once it is ready.
 */
export async function spawnApp(app: 'api' | 'worker', env: Record<string, string>): Promise<SpawnedApp> {
  const port = await freePort();
  const listen =
    app === 'api'
      ? { API_HOST: '127.0.0.1', API_PORT: String(port) }
      : { WORKER_HOST: '127.0.0.1', WORKER_PORT: String(port) };
  // BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the spawned processes.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, `dist/apps/${app}/apps/${app}/src/main.js`], {
    env: { PATH: process.env.PATH ?? '', ...env, ...listen },
    stdio: ['ignore', process.env.BENCH_CHILD_STDOUT ? 'inherit' : 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  let ready = false;
  for (let i = 0; i < 300 && !ready; i++) {
    if (child.exitCode !== null) throw new Error(`${app} exited with ${child.exitCode}`);
    ready = await fetch(`${url}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (!ready) await new Promise((r) => setTimeout(r, 100));
  }
  if (!ready) {
    child.kill('SIGKILL');
    throw new Error(`${app} did not become ready`);
  }
  return {
    url,
    pid: child.pid ?? -1,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** CPU seconds (user + system) used so far by each named group of processes (Linux /proc). */
export function cpuSeconds(
  groups: Record<string, (comm: string, pid: number) => boolean>,
): Record<string, number> {
  const ticks = 100; // USER_HZ on Linux
  const out: Record<string, number> = Object.fromEntries(Object.keys(groups).map((k) => [k, 0]));
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const seconds = (Number(fields[11]) + Number(fields[12])) / ticks; // utime, stime
    for (const [name, match] of Object.entries(groups)) if (match(comm, pid)) out[name] += seconds;
  }
  return out;
}

/** CPU used by the API, the worker, PostgreSQL, Redis and this load generator between two readings. */
export function cpuMeter(pids: { api?: number; worker?: number }): () => string {
  const groups: Record<string, (comm: string, pid: number) => boolean> = {
    ...(pids.api ? { api: (_c: string, pid: number) => pid === pids.api } : {}),
    ...(pids.worker ? { worker: (_c: string, pid: number) => pid === pids.worker } : {}),
    postgres: (c) => c === 'postgres',
    redis: (c) => c.startsWith('redis-server'),
    'load generator': (_c, pid) => pid === process.pid,
  };
  const before = cpuSeconds(groups);
  const started = Date.now();
  return () => {
    const after = cpuSeconds(groups);
    const wall = (Date.now() - started) / 1000;
    return (
      `CPU over ${wall.toFixed(0)} s: ` +
      Object.keys(groups)
        .map((k) => `${k} ${(after[k] - before[k]).toFixed(1)} s`)
        .join(', ')
    );
  };
}
