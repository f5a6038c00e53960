import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { type PanahConfig } from '@panah/config';
import { createDataSource } from '@panah/db';
import { enqueueInTransaction, JobName, OutboxRelay, ProducerQueues, QueueName } from '@panah/queue';
import { testConfig } from '../support/config';
import { createTestDatabase, sql, TestDatabase } from '../support/database';
import { TestRedisServer } from '../support/redis-server';
import { waitFor } from '../support/wait';

/** A relay built by hand and not started, so the test drives every batch itself. */
async function relayContext(config: PanahConfig) {
  const dataSource = createDataSource({ url: config.db.url, poolSize: 4 });
  await dataSource.initialize();
  const queues = new ProducerQueues(config);
  const relay = new OutboxRelay(dataSource, queues, config);
  return {
    relay,
    dataSource,
    queues,
    close: async () => {
      await queues.onApplicationShutdown();
      await dataSource.destroy();
    },
  };
}

async function writeOutbox(dataSource: DataSource, n: number): Promise<string[]> {
  const ids: string[] = [];
  await dataSource.transaction(async (m) => {
    for (let i = 0; i < n; i++)
      ids.push(await enqueueInTransaction(m, JobName.OutboxPrune, { retentionHours: 1 + (i % 10) }));
  });
  return ids;
}

describe('transactional outbox relay', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  it('never relays a row twice when two relays drain at once', async () => {
    const config = testConfig(db.url, { OUTBOX_BATCH_SIZE: '25' });
    const a = await relayContext(config);
    const b = await relayContext(config);
    const queue = new Queue(QueueName.Maintenance, {
      connection: { host: '127.0.0.1', port: 6379 },
      prefix: config.redis.prefix,
    });
    try {
      const written = await writeOutbox(a.dataSource, 400);
      const drainAll = async (relay: OutboxRelay): Promise<string[]> => {
        const mine: string[] = [];
        for (;;) {
          const batch = await relay.relayBatch();
          if (batch.length === 0) return mine;
          mine.push(...batch);
        }
      };
      const [fromA, fromB] = await Promise.all([drainAll(a.relay), drainAll(b.relay)]);
      expect(fromA.length).toBeGreaterThan(0);
      expect(fromB.length).toBeGreaterThan(0);
      expect(fromA.filter((id) => fromB.includes(id))).toEqual([]);
      expect([...fromA, ...fromB].sort()).toEqual([...written].sort());
      const pg = await sql(db.url);
      const { rows } = await pg.query(
        `SELECT count(*)::int AS n, max(relay_attempts) AS most FROM outbox WHERE relayed_at IS NOT NULL`,
      );
      await pg.close();
      expect(rows[0]).toEqual({ n: 400, most: 1 });
      expect(await queue.count()).toBe(400);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
      await a.close();
      await b.close();
    }
  });

  it('does not relay a row whose transaction rolled back', async () => {
    const config = testConfig(db.url);
    const ctx = await relayContext(config);
    try {
      await ctx.dataSource
        .transaction(async (m) => {
          await enqueueInTransaction(m, JobName.OutboxPrune, { retentionHours: 5 });
          throw new Error('state change failed');
        })
        .catch(() => undefined);
      expect(await ctx.relay.relayBatch()).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it('keeps rows while Redis is unreachable and relays each exactly once when it returns', async () => {
    const redis = await TestRedisServer.start();
    const config = testConfig(db.url, { REDIS_URL: redis.url });
    const ctx = await relayContext(config);
    const queue = new Queue(QueueName.Maintenance, {
      connection: { host: '127.0.0.1', port: redis.port },
      prefix: config.redis.prefix,
    });
    queue.on('error', () => undefined);
    try {
      await ctx.queues.get(QueueName.Maintenance).waitUntilReady();
      await redis.down();
      const written = await writeOutbox(ctx.dataSource, 5);
      await expect(ctx.relay.relayBatch()).rejects.toThrow();
      await expect(ctx.relay.relayBatch()).rejects.toThrow();
      const pg = await sql(db.url);
      const pending = await pg.query(
        `SELECT count(*)::int AS n FROM outbox WHERE id = ANY($1::bigint[]) AND relayed_at IS NULL`,
        [written],
      );
      expect(pending.rows[0].n).toBe(5);

      await redis.up();
      const relayed = await waitFor(
        async () => {
          const ids = await ctx.relay.relayBatch();
          return ids.length > 0 ? ids : null;
        },
        { what: 'relay after Redis returns' },
      );
      expect(relayed.sort()).toEqual([...written].sort());
      expect(await ctx.relay.relayBatch()).toEqual([]);
      const after = await pg.query(`SELECT relay_attempts FROM outbox WHERE id = ANY($1::bigint[])`, [
        written,
      ]);
      await pg.close();
      expect(after.rows.map((r: { relay_attempts: number }) => r.relay_attempts)).toEqual([1, 1, 1, 1, 1]);
      expect(await queue.count()).toBe(5);
    } finally {
      await queue.close();
      await ctx.close();
      await redis.down();
    }
  });
});
