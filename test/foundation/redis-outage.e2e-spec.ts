import { Queue } from 'bullmq';
import { JobName, QueueName } from '@panah/queue';
import { RunningApp, startApi, startWorker } from '../support/apps';
import { testConfig } from '../support/config';
import { createTestDatabase, sql, TestDatabase } from '../support/database';
import { TestRedisServer } from '../support/redis-server';
import { waitFor } from '../support/wait';

describe('a Redis outage', () => {
  let db: TestDatabase;
  let redis: TestRedisServer;
  let api: RunningApp;
  let worker: RunningApp;
  let queue: Queue;

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = await TestRedisServer.start();
    const config = testConfig(db.url, { REDIS_URL: redis.url, OUTBOX_POLL_MS: '250' });
    api = await startApi(config);
    worker = await startWorker(config);
    queue = new Queue(QueueName.Maintenance, {
      connection: { host: '127.0.0.1', port: redis.port },
      prefix: config.redis.prefix,
    });
    queue.on('error', () => undefined);
  });
  afterAll(async () => {
    await redis?.up(); // closing BullMQ clients needs a Redis to say goodbye to
    await queue?.close();
    await worker?.close();
    await api?.close();
    await redis?.down();
    await db?.drop();
  });

  it('makes readiness fail within 5 s while liveness holds, then recovers without a restart, and the worker processes new jobs', async () => {
    expect((await fetch(`${api.url}/health/ready`)).status).toBe(200);
    await redis.down();

    const started = Date.now();
    const ready = await fetch(`${api.url}/health/ready`);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(ready.status).toBe(503);
    expect(
      ((await ready.json()) as { details: Record<string, { status: string }> }).details.redis.status,
    ).toBe('down');
    expect((await fetch(`${api.url}/health/live`)).status).toBe(200);
    expect((await fetch(`${worker.url}/health/ready`)).status).toBe(503);
    expect((await fetch(`${worker.url}/health/live`)).status).toBe(200);

    // Work announced during the outage waits in PostgreSQL.
    const pg = await sql(db.url);
    const { rows } = await pg.query(`INSERT INTO outbox (job_name, payload) VALUES ($1, $2) RETURNING id`, [
      JobName.OutboxPrune,
      JSON.stringify({ retentionHours: 48 }),
    ]);
    const jobId = `outbox-${rows[0].id}`;

    await redis.up();
    await waitFor(async () => (await fetch(`${api.url}/health/ready`)).status === 200, {
      what: 'API readiness',
    });
    await waitFor(async () => (await fetch(`${worker.url}/health/ready`)).status === 200, {
      what: 'worker readiness',
    });

    // The worker did not wedge: the job announced during the outage is relayed and processed.
    const job = await waitFor(
      async () => {
        const j = await queue.getJob(jobId);
        return j && (await j.getState()) === 'completed' ? j : null;
      },
      { timeoutMs: 30_000, what: 'job processed after the outage' },
    );
    expect(job.returnvalue).toEqual({ deleted: expect.any(Number) });
    const relayed = await pg.query(`SELECT relay_attempts FROM outbox WHERE id = $1`, [rows[0].id]);
    expect(relayed.rows[0].relay_attempts).toBe(1);

    // And a job announced after the outage is processed too.
    const fresh = await pg.query(`INSERT INTO outbox (job_name, payload) VALUES ($1, $2) RETURNING id`, [
      JobName.OutboxPrune,
      JSON.stringify({ retentionHours: 49 }),
    ]);
    await waitFor(
      async () => {
        const j = await queue.getJob(`outbox-${fresh.rows[0].id}`);
        return j && (await j.getState()) === 'completed';
      },
      { timeoutMs: 30_000, what: 'new job processed' },
    );
    await pg.close();
  });
});
