import autocannon from 'autocannon';

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
