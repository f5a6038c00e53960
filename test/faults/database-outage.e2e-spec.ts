/**
 * Finding 3 of issue 20: PostgreSQL stopped (immediate) for 12 s under a steady load. Before the
 * fix the worker died on an unhandled rejection (a triage job's final-failure handler hit the
 * dead database) and stayed down, escalation steps used up their attempts, and the API answered
 * 500 instead of 503 with Retry-After. Built processes, a PostgreSQL and Redis of the test's own.
 */
import { FaultStack, figures, printFigures } from '../support/fault-stack';
import { assertBuilt } from '../support/processes';
import { waitFor } from '../support/wait';

describe('PostgreSQL down for 12 s under load', () => {
  let stack: FaultStack;

  beforeAll(async () => {
    assertBuilt();
    stack = await FaultStack.start({ waitSeconds: 6, reporters: 400 });
  }, 300_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('neither process exits, the API answers 503 with Retry-After, no job uses up its attempts, and everything acknowledged is alerted afterwards', async () => {
    const load = stack.load(10, 24);
    await new Promise((r) => setTimeout(r, 6_000));
    await stack.pgServer.down('immediate');
    const outageStart = Date.now();
    // While it is down: a direct request is a 503 with Retry-After, never a 500.
    const [api] = stack.apis;
    const seen: number[] = [];
    await waitFor(
      async () => {
        const res = await fetch(`${api.url}/v1/reports/00000000-0000-4000-8000-000000000000`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', ...stack.spareReporter().auth },
          body: '{}',
        });
        seen.push(res.status);
        // The access guard reads the session from PostgreSQL first.
        return res.status === 503 && res.headers.get('retry-after') !== null;
      },
      { timeoutMs: 8_000, what: 'a 503 with Retry-After' },
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; statuses seen: ${seen.join(' ')}`);
    });
    await new Promise((r) => setTimeout(r, Math.max(0, 12_000 - (Date.now() - outageStart))));
    await stack.pgServer.up();
    const faultEnd = new Date();
    const stats = await load;
    const settled = await stack.settled(stats.acknowledged.length, 90_000);
    const f = await figures(stack, 'PostgreSQL stopped 12 s', stats, faultEnd, settled);
    printFigures(f);

    expect(stack.workers[0].running).toBe(true);
    expect(stack.apis[0].running).toBe(true);
    expect(stack.workers[0].matching(/unhandled|crash/i)).toEqual([]);
    expect(stats.statuses.get(500) ?? 0).toBe(0);
    expect(stats.retryAfter).toBeGreaterThan(0);
    expect(settled).toBe(true);
    expect(f.lost).toBe(0);
    expect(f.cases).toBe(f.acknowledged);
    // A triage that used up its attempts becomes a triage_failed case: none may.
    const failed = await stack.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM cases WHERE 'triage_failed' = ANY(reasons)`,
    );
    expect(failed[0].n).toBe(0);
  }, 300_000);
});
