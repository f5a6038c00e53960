import Redis from 'ioredis';
import { cryptoReady } from '@panah/crypto';
import { type PanahConfig } from '@panah/config';
import { RunningApp, startApi, startWorker } from '../support/apps';
import { testConfig } from '../support/config';
import { createTestDatabase, sql, TestDatabase } from '../support/database';
import {
  addContact,
  call,
  createPolicy,
  notificationsOf,
  openCase,
  runOf,
  type RunRowView,
} from '../support/escalation';
import { TestRedisServer } from '../support/redis-server';
import { TestSmtpServer } from '../support/smtp';
import { ensureTeam, signedInStaff, TestStaff } from '../support/staff';
import { waitFor } from '../support/wait';
import { TestWebhookReceiver } from '../support/webhook';

interface SimEvent {
  kind: string;
  staffId?: string;
  channel?: string | null;
  step?: number;
  round?: number;
}

describe('escalation under failure: fallback, simulator parity, a dead worker and a flushed Redis', () => {
  let db: TestDatabase;
  let redis: TestRedisServer;
  let config: PanahConfig;
  let api: RunningApp;
  let worker: RunningApp;
  let smtp: TestSmtpServer;
  let hooks: TestWebhookReceiver;
  let admin: TestStaff;
  let supervisor: TestStaff;
  let tier1: TestStaff;
  let tier2: TestStaff;
  let teamId: string;
  const mail = (who: TestStaff) => `${who.login}@staff.example`;
  const runFor = (caseId: string, state?: string, timeoutMs = 20_000): Promise<RunRowView> =>
    waitFor(
      async () => {
        const r = await runOf(db, caseId);
        return r && (!state || r.state === state) ? r : null;
      },
      { what: `run ${state ?? ''}`, timeoutMs },
    );

  beforeAll(async () => {
    await cryptoReady();
    db = await createTestDatabase();
    redis = await TestRedisServer.start();
    smtp = await TestSmtpServer.start();
    hooks = await TestWebhookReceiver.start();
    config = testConfig(db.url, {
      REDIS_URL: redis.url,
      SMTP_URL: smtp.url,
      PUBLIC_URL: 'https://panah.example',
      NOTIFY_MAX_ATTEMPTS: '2',
      NOTIFY_RETRY_BASE_MS: '100',
      ESCALATION_SWEEP_EVERY_MS: '500',
      ESCALATION_SWEEP_GRACE_MS: '1000',
      OUTBOUND_ALLOW_CIDRS: '127.0.0.1/32', // the test webhook receiver listens on loopback
    });
    api = await startApi(config);
    worker = await startWorker(config);
    teamId = await ensureTeam(db, 'Oslo desk');
    admin = await signedInStaff(api, db, { role: 'admin' });
    supervisor = await signedInStaff(api, db, { role: 'supervisor', teams: ['Oslo desk'] });
    tier1 = await signedInStaff(api, db, { role: 'caseworker', teams: ['Oslo desk'] });
    tier2 = await signedInStaff(api, db, { role: 'caseworker', teams: ['Oslo desk'] });
    await addContact(api, tier1, 'email', { address: mail(tier1) });
    const hook = await addContact(api, tier2, 'webhook', { url: hooks.url('/t2') });
    hooks.secrets.set('/t2', hook.webhookSecret as string);
    await addContact(api, supervisor, 'email', { address: mail(supervisor) });
  });
  afterAll(async () => {
    await redis?.up();
    await worker?.close();
    await api?.close();
    await smtp?.close();
    await hooks?.close();
    await redis?.down();
    await db?.drop();
  });

  it('falls back to the next contact method when the SMTP server keeps failing', async () => {
    const person = await signedInStaff(api, db, { role: 'caseworker', teams: ['Oslo desk'] });
    await addContact(api, person, 'email', { address: mail(person) });
    const hook = await addContact(api, person, 'webhook', { url: hooks.url('/fallback') });
    hooks.secrets.set('/fallback', hook.webhookSecret as string);
    smtp.refuse.add(mail(person));
    const policyId = await createPolicy(api, admin, {
      steps: [{ type: 'notify', targets: [{ type: 'staff', staffId: person.staffId }] }],
    });
    const caseId = await openCase(db, { severity: 'critical', teamId, policyId });
    const run = await runFor(caseId);
    const received = await waitFor(() => hooks.at('/fallback')[0], { what: 'fallback webhook' });
    expect(received.verification).toBe('ok');
    const rows = await notificationsOf(db, run.id);
    expect(rows.map((n) => [n.channel, n.status, n.attempts])).toEqual([
      ['email', 'failed', 2],
      ['webhook', 'delivered', 1],
    ]);
    expect(rows[1].fallback_of).toBe(rows[0].id);
    expect(smtp.attempts.get(mail(person))).toBe(2); // retried once, then gave up on email
    const pg = await sql(db.url);
    const attempts = await pg.query(
      `SELECT attempt, outcome, error FROM escalation_notification_attempts WHERE notification_id = $1 ORDER BY attempt`,
      [rows[0].id],
    );
    await pg.close();
    expect(attempts.rows).toEqual([
      { attempt: 1, outcome: 'retry', error: 'smtp_451' },
      { attempt: 2, outcome: 'failed', error: 'smtp_451' },
    ]);
    // Supervisors see every attempt.
    const history = await call<{ notifications: { attemptLog: unknown[] }[] }>(
      api,
      supervisor,
      'GET',
      `/escalations/${run.id}/history`,
    );
    expect(history.status).toBe(200);
    expect(history.body.notifications[0].attemptLog).toHaveLength(2);
  });

  it('does exactly what the simulator says, with and without an acknowledgement', async () => {
    const policyId = await createPolicy(api, admin, {
      steps: [
        { type: 'notify', targets: [{ type: 'staff', staffId: tier1.staffId }] },
        { type: 'wait', seconds: 2 },
        { type: 'notify', targets: [{ type: 'staff', staffId: tier2.staffId }] },
        { type: 'wait', seconds: 2 },
        { type: 'notify', targets: [{ type: 'supervisors', teamId }] },
        { type: 'wait', seconds: 2 },
        { type: 'repeat', fromStep: 0, times: 1 },
      ],
    });
    const startAt = new Date();
    const simulate = async (acknowledgements: { at: string; by: string }[]) =>
      (
        await call<{ events: SimEvent[]; finalState: string }>(
          api,
          admin,
          'POST',
          `/admin/escalation-policies/${policyId}/simulate`,
          { severity: 'high', startAt: startAt.toISOString(), acknowledgements },
        )
      ).body;
    const notifiesOf = (events: SimEvent[]) =>
      events.filter((e) => e.kind === 'notify').map((e) => [e.staffId, e.channel, e.step, e.round]);

    // Acknowledged by tier 2 between its notification (t+2 s) and the supervisors' (t+4 s).
    const acked = await simulate([
      { at: new Date(startAt.getTime() + 3_000).toISOString(), by: tier2.staffId },
    ]);
    const c1 = await openCase(db, { severity: 'high', teamId, policyId });
    const r1 = await runFor(c1);
    await waitFor(
      async () => (await notificationsOf(db, r1.id)).some((n) => n.recipient_id === tier2.staffId),
      { what: 'tier 2' },
    );
    expect((await call(api, tier2, 'POST', `/escalations/${r1.id}/acknowledge`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 3_000));
    const engine1 = (await notificationsOf(db, r1.id)).map((n) => [
      n.recipient_id,
      n.channel,
      n.step,
      n.round,
    ]);
    expect(engine1).toEqual(notifiesOf(acked.events));
    expect((await runOf(db, c1))?.state).toBe(acked.finalState);

    // Nobody acknowledges: two rounds, then exhausted.
    const ignored = await simulate([]);
    const c2 = await openCase(db, { severity: 'high', teamId, policyId });
    const r2 = await runFor(c2, 'exhausted', 30_000);
    const engine2 = (await notificationsOf(db, r2.id)).map((n) => [
      n.recipient_id,
      n.channel,
      n.step,
      n.round,
    ]);
    expect(engine2).toEqual(notifiesOf(ignored.events));
    expect(engine2).toHaveLength(6);
    expect(ignored.finalState).toBe('exhausted');
  });

  it('loses no step and records no notification twice when the worker dies and Redis is flushed mid-run', async () => {
    const policyId = await createPolicy(api, admin, {
      steps: [
        { type: 'notify', targets: [{ type: 'staff', staffId: tier1.staffId }] },
        { type: 'wait', seconds: 3 },
        { type: 'notify', targets: [{ type: 'staff', staffId: tier2.staffId }] },
        { type: 'wait', seconds: 3 },
        { type: 'notify', targets: [{ type: 'supervisors', teamId }] },
      ],
    });
    const cases: string[] = [];
    for (let i = 0; i < 6; i++) cases.push(await openCase(db, { severity: 'critical', teamId, policyId }));
    const runs = await Promise.all(cases.map((c) => runFor(c)));
    await waitFor(
      async () => {
        for (const r of runs)
          if ((await notificationsOf(db, r.id)).filter((n) => n.status === 'delivered').length < 1)
            return false;
        return true;
      },
      { what: 'tier 1 delivered everywhere' },
    );

    await worker.close(); // the worker dies with tier 2's wake-ups waiting in Redis…
    const flush = new Redis(redis.port, '127.0.0.1');
    await flush.flushall(); // …and Redis loses every job, the sweeper's schedule included
    flush.disconnect();
    await new Promise((r) => setTimeout(r, 4_000)); // tier 2 comes due with no worker running
    worker = await startWorker(config);

    for (const c of cases) await runFor(c, 'exhausted', 30_000);
    await waitFor(
      async () => {
        for (const r of runs)
          if ((await notificationsOf(db, r.id)).filter((n) => n.status === 'delivered').length < 3)
            return false;
        return true;
      },
      { what: 'every tier delivered for every run', timeoutMs: 30_000 },
    );
    for (const r of runs) {
      const rows = await notificationsOf(db, r.id);
      expect(rows.map((n) => n.recipient_id)).toEqual([tier1.staffId, tier2.staffId, supervisor.staffId]);
    }
    // At least once, and at most the retried attempt more: count what the channels received.
    const ids = new Map<string, number>();
    for (const h of hooks.at('/t2')) if (h.id) ids.set(h.id, (ids.get(h.id) ?? 0) + 1);
    for (const m of smtp.messages) if (m.messageId) ids.set(m.messageId, (ids.get(m.messageId) ?? 0) + 1);
    for (const count of ids.values()) expect(count).toBeLessThanOrEqual(2);
    const pg = await sql(db.url);
    const swept = await pg.query(
      `SELECT count(*)::int AS n FROM escalation_runs WHERE id = ANY($1::uuid[]) AND sweeps > 0`,
      [runs.map((r) => r.id)],
    );
    await pg.close();
    expect(swept.rows[0].n).toBeGreaterThan(0); // the sweeper, not luck, recovered them
    expect((await fetch(`${worker.url}/health/ready`)).status).toBe(200);
  });
});
