/**
 * Issue 19 point 6: the read-only queue dashboard (Bull Board) at /v1/admin/queues. Off by
 * default (the path is a 404); with QUEUE_DASHBOARD=on only a signed-in admin sees it, nothing
 * in it changes a queue, and no job shows more than ids (no stack traces, no return values).
 */
import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { JobName, QueueName } from '@panah/queue';
import { startApi, type RunningApp } from '../support/apps';
import { testConfig } from '../support/config';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { signedInStaff, type TestStaff } from '../support/staff';
import { waitFor } from '../support/wait';

describe('queue dashboard', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('is not there unless QUEUE_DASHBOARD=on', async () => {
    const api = await startApi(testConfig(db.url));
    try {
      const admin = await signedInStaff(api, db, { role: 'admin' });
      for (const path of ['/v1/admin/queues', '/v1/admin/queues/api/queues']) {
        const res = await fetch(`${api.url}${path}`, { headers: admin.headers });
        expect(res.status).toBe(404);
      }
    } finally {
      await api.close();
    }
  });

  describe('with QUEUE_DASHBOARD=on', () => {
    let api: RunningApp;
    let admin: TestStaff;
    let caseworker: TestStaff;
    let queue: Queue;
    let worker: Worker<unknown, void> | undefined;
    const notificationId = randomUUID();

    beforeAll(async () => {
      const config = testConfig(db.url, { QUEUE_DASHBOARD: 'on' });
      api = await startApi(config);
      admin = await signedInStaff(api, db, { role: 'admin' });
      caseworker = await signedInStaff(api, db, { role: 'caseworker', teams: ['Dashboard desk'] });
      // A job that failed with a stack trace and one waiting, on the notify queue of this test's prefix.
      const connection = { host: '127.0.0.1', port: 6379 };
      queue = new Queue(QueueName.Notify, { connection, prefix: config.redis.prefix });
      await queue.add(
        JobName.NotificationDeliver,
        { notificationId, attempt: 1 },
        { jobId: `failing-${notificationId}`, attempts: 1 },
      );
      const failing = new Worker(
        QueueName.Notify,
        async (): Promise<void> => {
          throw new Error('stack-trace-marker');
        },
        { connection, prefix: config.redis.prefix },
      );
      worker = failing;
      await waitFor(async () => (await queue.getFailedCount()) === 1, { what: 'the job failed' });
      await failing.close();
      worker = undefined;
      await queue.add(
        JobName.NotificationDeliver,
        { notificationId, attempt: 2 },
        { jobId: `waiting-${notificationId}` },
      );
    });
    afterAll(async () => {
      await worker?.close();
      await queue?.obliterate({ force: true }).catch(() => undefined);
      await queue?.close();
      await api?.close();
    });

    it('refuses anonymous callers and caseworkers with the usual error bodies', async () => {
      for (const path of ['/v1/admin/queues', '/v1/admin/queues/api/queues']) {
        const anonymous = await fetch(`${api.url}${path}`);
        expect(anonymous.status).toBe(401);
        expect(await anonymous.json()).toMatchObject({ code: 'auth/unauthenticated' });
        const bogus = await fetch(`${api.url}${path}`, { headers: { authorization: 'Bearer ps_nonsense' } });
        expect(bogus.status).toBe(401);
        const cw = await fetch(`${api.url}${path}`, { headers: caseworker.headers });
        expect(cw.status).toBe(403);
        expect(await cw.json()).toMatchObject({ code: 'auth/forbidden' });
      }
    });

    it('shows an admin every queue and its jobs, with ids only: no stack trace, no return value', async () => {
      const page = await fetch(`${api.url}/v1/admin/queues`, { headers: admin.headers });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(await page.text()).toContain('Panah queues');

      const res = await fetch(
        `${api.url}/v1/admin/queues/api/queues?activeQueue=notify&status=failed&page=1`,
        {
          headers: admin.headers,
        },
      );
      expect(res.status).toBe(200);
      const text = await res.text();
      const body = JSON.parse(text) as {
        queues: {
          name: string;
          readOnlyMode: boolean;
          jobs: {
            id: string;
            data: unknown;
            stacktrace: string[];
            returnValue: unknown;
            failedReason?: string;
          }[];
        }[];
      };
      expect(body.queues.map((q) => q.name).sort()).toEqual(Object.values(QueueName).sort());
      expect(body.queues.every((q) => q.readOnlyMode)).toBe(true);
      const notify = body.queues.find((q) => q.name === QueueName.Notify);
      const failed = notify?.jobs.find((j) => j.id === `failing-${notificationId}`);
      expect(failed).toMatchObject({
        data: { notificationId, attempt: 1 },
        stacktrace: [],
        returnValue: null,
      });
      expect(failed?.failedReason).toBe('stack-trace-marker');
      expect(text).not.toMatch(/at .*\.js:\d+|queue-dashboard\.e2e-spec/);

      const one = await fetch(`${api.url}/v1/admin/queues/api/queues/notify/failing-${notificationId}`, {
        headers: admin.headers,
      });
      expect(one.status).toBe(200);
      expect(((await one.json()) as { job: { stacktrace: string[] } }).job.stacktrace).toEqual([]);
    });

    it('changes nothing, even for an admin: retry, clean, pause, add and empty are refused', async () => {
      const attempts: [string, string][] = [
        ['PUT', `/api/queues/notify/failing-${notificationId}/retry`],
        ['PUT', '/api/queues/notify/retry/failed'],
        ['PUT', '/api/queues/notify/clean/failed'],
        ['PUT', '/api/queues/notify/pause'],
        ['PUT', '/api/queues/pause'],
        ['POST', '/api/queues/notify/add'],
        ['PUT', '/api/queues/notify/empty'],
        ['DELETE', `/api/queues/notify/waiting-${notificationId}`],
      ];
      for (const [method, path] of attempts) {
        const res = await fetch(`${api.url}/v1/admin/queues${path}`, {
          method,
          headers: { ...admin.headers, 'content-type': 'application/json' },
          body: method === 'DELETE' ? undefined : '{}',
        });
        expect([method, path, res.status]).toEqual([method, path, 403]);
      }
      expect(await queue.getFailedCount()).toBe(1);
      expect(await queue.getWaitingCount()).toBe(1);
      expect(await queue.isPaused()).toBe(false);
    });
  });
});
