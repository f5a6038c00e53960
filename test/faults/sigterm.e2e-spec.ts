/**
 * Finding 4 of issue 20: on SIGTERM the worker closed its database connection while BullMQ was
 * still waiting for the active jobs, so they failed (TypeORMError, QueryFailedError), and
 * webhooks that had reached the receiver were never recorded and were sent again. Now the worker
 * stops taking jobs, lets the active ones finish, then closes its connections; the API drains its
 * in-flight requests; both exit 0 within SHUTDOWN_TIMEOUT_MS.
 */
import { FaultStack, figures, printFigures } from '../support/fault-stack';
import { assertBuilt } from '../support/processes';

const SHUTDOWN_TIMEOUT_MS = 15_000;

describe('SIGTERM under load', () => {
  let stack: FaultStack;

  beforeAll(async () => {
    assertBuilt();
    stack = await FaultStack.start({
      waitSeconds: 4,
      reporters: 400,
      env: { SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) },
    });
  }, 300_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('the worker finishes its active jobs before closing its connections and exits 0; nothing is delivered twice', async () => {
    // Slow webhooks: deliveries are in flight whenever the signal arrives.
    stack.receiver.delayMs = 1_500;
    const load = stack.load(8, 16);
    const exits: (number | null)[] = [];
    const stopTimes: number[] = [];
    for (const at of [5_000, 11_000]) {
      await new Promise((r) => setTimeout(r, at - (at === 5_000 ? 0 : 5_000 + stopTimes[0])));
      const old = stack.workers[0];
      const t = Date.now();
      exits.push(await old.stop(SHUTDOWN_TIMEOUT_MS + 10_000));
      stopTimes.push(Date.now() - t);
      expect(old.matching(/"msg":"job failed"/)).toEqual([]);
      expect(old.matching(/TypeORMError|QueryFailedError|Driver not Connected|Connection is closed/)).toEqual(
        [],
      );
      await stack.restartWorker(0);
    }
    const stats = await load;
    const settled = await stack.settled(stats.acknowledged.length, 90_000);
    const f = await figures(stack, 'worker SIGTERM ×2 under load', stats, new Date(), settled);
    printFigures(f);
    expect(exits).toEqual([0, 0]);
    for (const ms of stopTimes) expect(ms).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    expect(settled).toBe(true);
    expect(f.lost).toBe(0);
    expect(f.deliveredTwice).toBe(0);
  }, 400_000);

  it('the API finishes a request that is in flight when SIGTERM arrives, then exits 0', async () => {
    stack.receiver.delayMs = 0;
    const load = stack.load(10, 8, { keepAlive: false });
    await new Promise((r) => setTimeout(r, 2_000));
    const old = stack.apis[0];
    // A report whose body is still arriving when the signal comes: the drain must wait for it.
    const inFlight = stack.trickledReport(old, 3_000);
    await new Promise((r) => setTimeout(r, 1_000));
    const replacement = stack.restartApi(0); // the load moves to the new one as it comes up
    const t = Date.now();
    old.signal('SIGTERM');
    const code = await old.exited;
    const stopMs = Date.now() - t;
    await replacement;
    const stats = await load;
    expect(await inFlight).toBe(201);
    expect(code).toBe(0);
    expect(stopMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    expect(stats.statuses.get(500) ?? 0).toBe(0);
    expect(await stack.settled(stats.acknowledged.length, 60_000)).toBe(true);
    const stored = await stack.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM reports WHERE id = ANY($1::uuid[])`,
      [stats.acknowledged],
    );
    expect(stored[0].n).toBe(stats.acknowledged.length);
  }, 300_000);
});
