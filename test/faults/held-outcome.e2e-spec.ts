/**
 * Issue 20, PostgreSQL stopped 20 s (fault suite: 14 notifications delivered twice): a webhook
 * that reached the receiver while PostgreSQL went down could not be recorded; the job failed,
 * the row stayed `sending` until its lease expired, and the sweeper had it sent again. Now the
 * worker holds the outcome and writes it when PostgreSQL is back (the job stays active, and the
 * sweeper leaves a notification alone while a job of it is active).
 */
import { FaultStack } from '../support/fault-stack';
import { assertBuilt } from '../support/processes';
import { waitFor } from '../support/wait';

/** The stack's NOTIFY_TIMEOUT_MS is 5 s, so a delivery's lease is 2 × 5 + 5 = 15 s. */
const LEASE_MS = 15_000;

describe('PostgreSQL stops while webhooks are in flight', () => {
  let stack: FaultStack;

  beforeAll(async () => {
    assertBuilt();
    stack = await FaultStack.start({ waitSeconds: 600, reporters: 20 });
  }, 300_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('records the deliveries made during the outage once it ends and never sends them again', async () => {
    // Slow webhooks: the answer comes 3 s after the request, by then PostgreSQL is down.
    stack.receiver.delayMs = 3_000;
    const load = await stack.load(2, 2);
    expect(load.acknowledged).toHaveLength(4);
    await waitFor(() => stack.receiver.started.length >= 1, {
      timeoutMs: 90_000,
      what: 'a webhook in flight',
    });
    await stack.pgServer.down('immediate');
    const downAt = Date.now();
    const inFlight = new Set(stack.receiver.started.map((d) => d.id));
    await waitFor(() => [...inFlight].every((id) => stack.receiver.deliveries.some((d) => d.id === id)), {
      timeoutMs: 30_000,
      what: 'the webhooks in flight answered',
    });
    // Down until the leases of those deliveries have expired (the fault, not a wait for a result).
    await new Promise((r) => setTimeout(r, Math.max(0, downAt + LEASE_MS + 2_000 - Date.now())));
    await stack.pgServer.up();

    // Every notification recorded delivered (a re-send after an expired lease would come first:
    // the row stays `sending` until then, and is marked delivered only after the receiver answered).
    await waitFor(
      async () =>
        (
          await stack.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM escalation_notifications WHERE status = 'delivered'`,
          )
        )[0].n === 4,
      { timeoutMs: 180_000, intervalMs: 500, what: 'the four notifications recorded delivered' },
    );
    const counts = new Map<string, number>();
    for (const d of stack.receiver.deliveries) counts.set(d.id, (counts.get(d.id) ?? 0) + 1);
    expect([...counts.values()].filter((n) => n > 1)).toEqual([]);
    expect(counts.size).toBe(4);
    for (const id of inFlight) expect(counts.get(id)).toBe(1);
    const [worker] = stack.workers;
    expect(worker.running).toBe(true);
    expect(worker.matching(/held delivery outcome recorded/).length).toBeGreaterThanOrEqual(1);
  }, 400_000);
});
