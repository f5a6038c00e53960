/**
 * Finding 5 of issue 20: while Redis was down, the outbox relay retried on every commit's NOTIFY
 * and every poll (about 20 a second under load) and logged as it went. It must back off instead,
 * log one line when the outage begins and one when it ends, and relay everything once Redis is back.
 */
import { jest } from '@jest/globals';
import { JobName, OutboxRelay } from '@panah/queue';
import { RunningApp, startWorker } from '../support/apps';
import { testConfig } from '../support/config';
import { createTestDatabase, sql, TestDatabase } from '../support/database';
import { TestRedisServer } from '../support/redis-server';
import { waitFor } from '../support/wait';

describe('the outbox relay during a Redis outage', () => {
  let db: TestDatabase;
  let redis: TestRedisServer;
  let worker: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = await TestRedisServer.start();
    worker = await startWorker(
      testConfig(db.url, { REDIS_URL: redis.url, OUTBOX_POLL_MS: '200', LOG_LEVEL: 'warn' }),
    );
  }, 300_000);
  afterAll(async () => {
    await redis?.up();
    await worker?.close();
    await redis?.down();
    await db?.drop();
  });

  it('backs off instead of retrying on every commit, logs the outage once at its start and once at its end, and loses nothing', async () => {
    const relay = worker.app.get(OutboxRelay);
    const attempts = jest.spyOn(relay, 'relayBatch');
    // BullMQ prints unhandled queue errors with console.error: one per reconnect per queue.
    const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const pg = await sql(db.url);
    try {
      await redis.down();
      const before = worker.logs.lines.length;
      // 8 s of commits, one every 100 ms: each one NOTIFYs the relay.
      const ids: string[] = [];
      attempts.mockClear();
      for (let i = 0; i < 80; i++) {
        const { rows } = await pg.query(
          `INSERT INTO outbox (job_name, payload) VALUES ($1, $2) RETURNING id`,
          [JobName.OutboxPrune, JSON.stringify({ retentionHours: 48 })],
        );
        ids.push(String(rows[0].id));
        await new Promise((r) => setTimeout(r, 100));
      }
      const duringOutage = attempts.mock.calls.length;
      // Back-off 0.5, 1, 2, 4 s…: a handful of tries in 8 s, not one per commit (80) or per poll (40).
      expect(duringOutage).toBeLessThanOrEqual(10);
      await redis.up();
      await waitFor(
        async () => {
          const { rows } = await pg.query(
            `SELECT count(*)::int AS n FROM outbox WHERE id = ANY($1::bigint[]) AND relayed_at IS NULL`,
            [ids],
          );
          return rows[0].n === 0;
        },
        { timeoutMs: 30_000, what: 'every row relayed after the outage' },
      );
      const relayLines = worker.logs.lines.slice(before).filter((l) => l.includes('"context":"OutboxRelay"'));
      expect(relayLines.filter((l) => l.includes('outbox relay paused'))).toHaveLength(1);
      expect(relayLines.filter((l) => l.includes('outbox relay resumed'))).toHaveLength(1);
      expect(relayLines).toHaveLength(2);
      expect(printed).not.toHaveBeenCalled();
    } finally {
      printed.mockRestore();
      await pg.close();
    }
  });
});
