import { Queue } from 'bullmq';
import { cryptoReady } from '@panah/crypto';
import { JobName, QueueName, reportSubmittedJobId } from '@panah/queue';
import { RunningApp, startApi, startWorker } from '../support/apps';
import { testConfig } from '../support/config';
import { createTestDatabase, sql, TestDatabase } from '../support/database';
import {
  intakeKeys,
  IntakeKeys,
  publishDirectory,
  putReport,
  sealReport,
  signedDirectory,
  signedInReporter,
  TestReporter,
} from '../support/intake';
import { TestRedisServer } from '../support/redis-server';
import { waitFor } from '../support/wait';

describe('intake when things go wrong', () => {
  let db: TestDatabase;
  let redis: TestRedisServer;
  let api: RunningApp;
  let keys: IntakeKeys;
  let reporter: TestReporter;
  let prefix: string;

  beforeAll(async () => {
    await cryptoReady();
    db = await createTestDatabase();
    redis = await TestRedisServer.start();
    keys = await intakeKeys(1);
    const config = testConfig(db.url, { ...keys.env, REDIS_URL: redis.url, OUTBOX_POLL_MS: '250' });
    prefix = config.redis.prefix;
    api = await startApi(config);
    await publishDirectory(api, signedDirectory(keys, 'test-deployment'));
    reporter = await signedInReporter(api.url);
  });
  afterAll(async () => {
    await redis?.up();
    await api?.close();
    await redis?.down();
    await db?.drop();
  });

  it('accepts reports while Redis is down and relays each exactly once when it returns', async () => {
    await redis.down();
    const envelopes = Array.from({ length: 5 }, () =>
      sealReport(reporter, [keys.staff[0].publicKey], '{"schema":"report/v1"}'),
    );
    for (const e of envelopes)
      expect((await putReport(api.url, reporter, e, { category: 'direct_threat' })).status).toBe(201);
    // The API keeps no report only in memory: every one is committed with its outbox row.
    const pg = await sql(db.url);
    const ids = envelopes.map((e) => e.id);
    const pending = await pg.query(
      `SELECT count(*)::int AS n FROM outbox WHERE job_name = $1 AND relayed_at IS NULL`,
      [JobName.ReportSubmitted],
    );
    expect(pending.rows[0].n).toBe(5);

    await redis.up();
    const worker = await startWorker(
      testConfig(db.url, { ...keys.env, REDIS_URL: redis.url, REDIS_PREFIX: prefix, OUTBOX_POLL_MS: '250' }),
    );
    const queue = new Queue(QueueName.Triage, {
      connection: { host: '127.0.0.1', port: redis.port },
      prefix,
    });
    queue.on('error', () => undefined);
    try {
      await waitFor(
        async () => {
          const { rows } = await pg.query(
            `SELECT count(*)::int AS n FROM reports WHERE id = ANY($1::uuid[]) AND status = 'triaged'`,
            [ids],
          );
          return rows[0].n === 5;
        },
        { timeoutMs: 30_000, what: 'reports relayed and triaged after the outage' },
      );
      const relayed = await pg.query(`SELECT relay_attempts FROM outbox WHERE job_name = $1`, [
        JobName.ReportSubmitted,
      ]);
      expect(relayed.rows.map((r: { relay_attempts: number }) => r.relay_attempts)).toEqual([1, 1, 1, 1, 1]);
      for (const id of ids) expect(await queue.getJob(reportSubmittedJobId(id))).toBeTruthy();
      const { rows } = await pg.query(
        `SELECT count(*)::int AS reports, count(DISTINCT case_id)::int AS cases FROM reports WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      expect(rows[0]).toEqual({ reports: 5, cases: 1 }); // one reporter: one case, raised by repeats
    } finally {
      await queue.close();
      await worker.close();
      await pg.close();
    }
  });

  it('turns 50 concurrent retries of the same PUT into exactly one report and one outbox row', async () => {
    const envelope = sealReport(reporter, [keys.staff[0].publicKey], '{"schema":"report/v1"}');
    const body = JSON.stringify({ envelope, hints: { imminence: 'now' } });
    const statuses = await Promise.all(
      Array.from({ length: 50 }, () =>
        fetch(`${api.url}/v1/reports/${envelope.id}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', ...reporter.auth },
          body,
        }).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(49);
    const pg = await sql(db.url);
    const reports = await pg.query(`SELECT count(*)::int AS n FROM reports WHERE id = $1`, [envelope.id]);
    const outbox = await pg.query(`SELECT count(*)::int AS n FROM outbox WHERE payload->>'reportId' = $1`, [
      envelope.id,
    ]);
    await pg.close();
    expect(reports.rows[0].n).toBe(1);
    expect(outbox.rows[0].n).toBe(1);
  });
});
