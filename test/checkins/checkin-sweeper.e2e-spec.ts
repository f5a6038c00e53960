import Redis from 'ioredis';
import { startApi, startWorker, type RunningApp } from '../support/apps';
import { api, registerWithDuress, signInWith } from '../support/checkins';
import { testConfig } from '../support/config';
import { createTestDatabase, sql, type TestDatabase } from '../support/database';
import { intakeKeys } from '../support/intake';
import { TestRedisServer } from '../support/redis-server';
import { waitFor } from '../support/wait';

/**
 * G4 for check-ins: a deadline lives in PostgreSQL, not in Redis. Kill the worker and flush Redis
 * before the deadline (its delayed job is gone), bring the worker back after it: the sweeper
 * still raises the alert. The same for a duress sign-in whose immediate handling never ran.
 */
describe('check-in sweeper', () => {
  let db: TestDatabase;
  let redis: TestRedisServer;
  let apiApp: RunningApp;
  let worker: RunningApp | null = null;

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = await TestRedisServer.start();
  });

  afterAll(async () => {
    await worker?.close();
    await apiApp?.close();
    await redis?.down();
    await db?.drop();
  });

  async function rows<T>(text: string, params: unknown[] = []): Promise<T[]> {
    const client = await sql(db.url);
    try {
      return (await client.query(text, params)).rows as T[];
    } finally {
      await client.close();
    }
  }

  it('raises a missed check-in after the worker died and Redis lost the deadline job', async () => {
    const keys = await intakeKeys();
    const config = testConfig(db.url, {
      ...keys.env,
      REDIS_URL: redis.url,
      CHECKIN_MIN_INTERVAL_SECONDS: '1',
      CHECKIN_SWEEP_EVERY_MS: '300',
    });
    apiApp = await startApi(config);
    worker = await startWorker(config);
    const r = await registerWithDuress(apiApp.url);
    const session = await signInWith(apiApp.url, r.primary);
    const plan = await api(apiApp.url, 'PUT', '/v1/checkins/plan', session.auth, {
      schedule: { kind: 'interval', everySeconds: 4 },
      graceSeconds: 2,
    });
    expect(plan.status).toBe(201);
    const alertAt = Date.parse(plan.json.alertAt as string);

    // The deadline job reached Redis as a delayed job…
    const client = new Redis(redis.url);
    try {
      await waitFor(
        async () =>
          (await rows(`SELECT 1 FROM outbox WHERE job_name = 'checkin.deadline' AND relayed_at IS NOT NULL`))
            .length === 1,
        { what: 'the deadline job relayed' },
      );
      expect(
        await client.exists(
          `${config.redis.prefix}:checkins:checkin-deadline-${String(plan.json.id)}-${alertAt}`,
        ),
      ).toBe(1);
      // …then the worker dies and Redis forgets everything, before the deadline.
      await worker.close();
      worker = null;
      expect(Date.now()).toBeLessThan(alertAt);
      await client.flushall();
    } finally {
      client.disconnect();
    }
    // A duress sign-in while no worker runs: handled by the API at once, or by the sweep later.
    const forced = await signInWith(apiApp.url, r.duress);
    expect(forced.status).toBe(201);

    await waitFor(() => Date.now() > alertAt, { timeoutMs: 30_000, what: 'the alert time to pass' });
    expect(await rows(`SELECT 1 FROM case_safety_events WHERE kind = 'missed_checkin'`)).toHaveLength(0);
    worker = await startWorker(config);
    const events = await waitFor(
      async () => {
        const found = await rows<{ kind: string }>(
          `SELECT e.kind FROM case_safety_events e JOIN cases c ON c.id = e.case_id WHERE c.reporter_id = $1 ORDER BY e.id`,
          [r.reporterId],
        );
        return found.some((e) => e.kind === 'missed_checkin') ? found : null;
      },
      { what: 'the sweeper to raise the missed check-in' },
    );
    expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(['duress_signin', 'missed_checkin']));
    const cases = await rows<{ severity: string; reasons: string[] }>(
      `SELECT severity, reasons FROM cases WHERE reporter_id = $1`,
      [r.reporterId],
    );
    expect(cases).toHaveLength(1);
    expect(cases[0].severity).toBe('critical');
    expect(cases[0].reasons).toEqual(expect.arrayContaining(['missed_checkin', 'duress']));
    // The missed deadline moved on: the next alert is in the future, armed again.
    const [next] = await rows<{ alert_at: Date }>(
      `SELECT alert_at FROM checkin_plans WHERE reporter_id = $1`,
      [r.reporterId],
    );
    expect(next.alert_at.getTime()).toBeGreaterThan(alertAt);
  });

  it('raises a duress sign-in the API never got to handle', async () => {
    // Simulate an API that died between storing the session and raising the case: a duress
    // session row without its alert. The sweep finds it.
    const r = await registerWithDuress(apiApp.url);
    const forced = await signInWith(apiApp.url, r.duress);
    expect(forced.status).toBe(201);
    await waitFor(
      async () =>
        (await rows(`SELECT 1 FROM duress_alerts WHERE reporter_id = $1`, [r.reporterId])).length === 1,
    );
    const client = await sql(db.url);
    try {
      await client.query(
        `DELETE FROM case_safety_events WHERE case_id IN (SELECT id FROM cases WHERE reporter_id = $1)`,
        [r.reporterId],
      );
      await client.query(`DELETE FROM duress_alerts WHERE reporter_id = $1`, [r.reporterId]);
      await client.query(
        `DELETE FROM outbox WHERE payload->>'caseId' IN (SELECT id::text FROM cases WHERE reporter_id = $1)`,
        [r.reporterId],
      );
      await client.query(`DELETE FROM cases WHERE reporter_id = $1`, [r.reporterId]);
    } finally {
      await client.close();
    }
    await waitFor(
      async () =>
        (await rows(`SELECT 1 FROM cases WHERE reporter_id = $1 AND 'duress' = ANY(reasons)`, [r.reporterId]))
          .length === 1,
      {
        what: 'the sweep to raise the duress case',
      },
    );
  });
});
