/**
 * Issue 20, FLUSHALL with steps pending: the sweepers are BullMQ Job Schedulers, and a flush
 * removes them with everything else. They were re-registered only every 5 periods, so after a
 * flush nothing swept for up to 5 periods and steps due meanwhile ran that much later (fault
 * suite: lateness p99 11.7 s with 2 s sweeps). Every worker now checks each period that its
 * schedulers exist and registers them again at once.
 *
 * The flush comes right after a fresh worker registered its schedulers (so the old code's next
 * re-registration was 5 periods away); the schedulers must be back, and a step that fell due
 * after the flush must run, well before that.
 */
import { Queue } from 'bullmq';
import { QueueName } from '@panah/queue';
import { FaultStack } from '../support/fault-stack';
import { assertBuilt } from '../support/processes';
import { waitFor } from '../support/wait';

const SWEEP_EVERY_MS = 4_000;

describe('FLUSHALL removes the sweepers’ schedulers', () => {
  let stack: FaultStack;
  let sweepQueue: Queue;

  beforeAll(async () => {
    assertBuilt();
    stack = await FaultStack.start({
      waitSeconds: 6,
      reporters: 20,
      env: {
        ESCALATION_SWEEP_EVERY_MS: String(SWEEP_EVERY_MS),
        TRIAGE_RECONCILE_EVERY_MS: String(SWEEP_EVERY_MS),
      },
    });
    sweepQueue = new Queue(QueueName.EscalationSweep, {
      connection: { host: '127.0.0.1', port: stack.redis.port },
      prefix: stack.config.redis.prefix,
    });
    sweepQueue.on('error', () => undefined);
  }, 300_000);
  afterAll(async () => {
    await sweepQueue?.close();
    await stack?.close();
  });

  const registered = async (): Promise<boolean> =>
    (await sweepQueue.getJobScheduler('escalation-sweep')) !== undefined;

  it('every worker registers a flushed scheduler again within a period, and a step due after the flush runs', async () => {
    // A case whose second notify step is pending (due 6 s after the first).
    const load = await stack.load(1, 1);
    expect(load.acknowledged).toHaveLength(1);
    await waitFor(() => stack.receiver.deliveries.length >= 1, {
      timeoutMs: 90_000,
      what: 'the first notification delivered',
    });

    // A fresh worker: it registers its schedulers at boot, its next re-registration 5 periods later.
    await stack.workers[0].kill();
    await stack.flushRedis();
    await stack.restartWorker(0);
    await waitFor(registered, { timeoutMs: 60_000, intervalMs: 50, what: 'the fresh worker’s scheduler' });
    await stack.flushRedis();
    const flushedAt = Date.now();

    await waitFor(registered, {
      timeoutMs: 60_000,
      intervalMs: 100,
      what: 'the scheduler registered again',
    });
    const backAfterMs = Date.now() - flushedAt;
    // Within a period (plus slack for a busy machine), long before the old 5 periods (20 s).
    expect(backAfterMs).toBeLessThan(3 * SWEEP_EVERY_MS);

    // The step lost with the flush still runs: its notification reaches the receiver.
    await waitFor(() => stack.receiver.deliveries.length >= 2, {
      timeoutMs: 60_000,
      what: 'the second notification, swept after the flush',
    });
    await waitFor(
      async () =>
        (await stack.query<{ state: string }>(`SELECT state FROM escalation_runs`))[0].state === 'exhausted',
      { timeoutMs: 30_000, what: 'the run exhausted' },
    );
  }, 400_000);
});
