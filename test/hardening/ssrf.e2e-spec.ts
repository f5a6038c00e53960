import { NotificationChannels, OutboundGuard, parseAllowList, WebhookChannel } from '@panah/notify';
import { RunningApp, startApi, startWorker } from '../support/apps';
import { testConfig } from '../support/config';
import { createTestDatabase, rowsOf, TestDatabase } from '../support/database';
import { addContact, call, createPolicy, openCase, runOf } from '../support/escalation';
import { ensureTeam, signedInStaff, type TestStaff } from '../support/staff';
import { waitFor } from '../support/wait';
import { TestWebhookReceiver } from '../support/webhook';

/**
 * The attack: a staff member registers webhook contact methods pointing at the server's own
 * neighbourhood (the worker's metrics, PostgreSQL's port, cloud metadata) in every spelling, and
 * reads the delivery errors and attempt times in escalation history as a port scanner.
 */
describe('hardening: webhooks cannot reach loopback or private addresses (SSRF)', () => {
  let db: TestDatabase;
  let strictApi: RunningApp; // no private range allowed (the production default)
  let lenientApi: RunningApp; // on-premises setting: loopback allowed when saving
  let worker: RunningApp; // delivers with no private range allowed
  let hooks: TestWebhookReceiver;
  let admin: TestStaff;
  let teamId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    hooks = await TestWebhookReceiver.start();
    const strict = testConfig(db.url, {
      LOG_LEVEL: 'warn',
      NOTIFY_MAX_ATTEMPTS: '1',
      ESCALATION_SWEEP_EVERY_MS: '500',
      ESCALATION_SWEEP_GRACE_MS: '1000',
    });
    strictApi = await startApi(strict);
    lenientApi = await startApi({
      ...strict,
      notify: { ...strict.notify, allowCidrs: ['127.0.0.0/8', '::1/128'] },
    });
    worker = await startWorker(strict);
    admin = await signedInStaff(strictApi, db, { role: 'admin' });
    teamId = await ensureTeam(db, 'Vienna desk');
  });
  afterAll(async () => {
    await worker?.close();
    await strictApi?.close();
    await lenientApi?.close();
    await hooks?.close();
    await db?.drop();
  });

  it('refuses every loopback and private spelling, and credentials in the URL, when the contact method is saved', async () => {
    const cw = await signedInStaff(strictApi, db, { role: 'caseworker', teams: [teamId] });
    const port = hooks.port;
    const urls = [
      `http://127.0.0.1:${port}/x`,
      'http://127.0.0.1:5432/',
      'http://127.1:5432/',
      'http://2130706433/',
      'http://0x7f000001/',
      'http://0177.0.0.1/',
      'http://0x7f.1/',
      `http://localhost:${port}/x`,
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:7f00:1]/',
      'http://[::]/',
      'http://0.0.0.0/',
      'http://10.0.0.1/',
      'http://172.16.0.1/',
      'http://192.168.0.1/',
      'http://100.64.0.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://[fe80::1]/',
      'http://[fd00::1]/',
      'http://224.0.0.1/',
      'http://user:pass@93.184.216.34/',
      `http://user:pass@127.0.0.1:${port}/x`,
    ];
    const wrong: string[] = [];
    for (const url of urls) {
      const res = await call<{ fields?: { path: string; message: string }[] }>(
        strictApi,
        cw,
        'POST',
        '/me/contact-methods',
        { channel: 'webhook', detail: { url } },
      );
      if (res.status !== 400 || !res.body.fields?.some((f) => f.path === 'detail.url'))
        wrong.push(`${url} → ${res.status} ${JSON.stringify(res.body)}`);
    }
    expect(wrong).toEqual([]);
    expect(await rowsOf(db.url, 'SELECT id FROM contact_methods WHERE staff_id = $1', [cw.staffId])).toEqual(
      [],
    );
    expect(hooks.received).toHaveLength(0);
  });

  it('refuses delivery to a URL that was saved while allowed (or whose name now resolves to 127.0.0.1), sends nothing, and shows only a coarse class', async () => {
    const victim = await signedInStaff(lenientApi, db, { role: 'caseworker', teams: [teamId] });
    // saved through the on-premises API; the worker allows no private range
    await addContact(lenientApi, victim, 'webhook', { url: `http://localhost:${hooks.port}/by-name` });
    await addContact(lenientApi, victim, 'webhook', { url: hooks.url('/literal') });
    await addContact(lenientApi, victim, 'webhook', { url: `http://127.1:${hooks.port}/short` });
    const policyId = await createPolicy(strictApi, admin, {
      steps: [{ type: 'notify', targets: [{ type: 'staff', staffId: victim.staffId }] }],
    });
    const caseId = await openCase(db, { severity: 'critical', teamId, policyId });
    const run = await waitFor(() => runOf(db, caseId), { what: 'escalation run' });
    const attempts = await waitFor(
      async () => {
        const rows = await rowsOf<{ channel: string; outcome: string; error: string }>(
          db.url,
          `SELECT a.channel, a.outcome, a.error FROM escalation_notification_attempts a JOIN escalation_notifications n ON n.id = a.notification_id WHERE n.run_id = $1`,
          [run.id],
        );
        return rows.length >= 3 ? rows : null;
      },
      { what: 'three refused attempts', timeoutMs: 30_000 },
    );
    expect(attempts.map((a) => [a.channel, a.outcome, a.error])).toEqual(
      Array(3).fill(['webhook', 'failed', 'destination_refused']),
    );
    expect(hooks.received).toHaveLength(0);
    const supervisor = await signedInStaff(strictApi, db, { role: 'supervisor', teams: [teamId] });
    const history = await call<{
      notifications: { lastError: string | null; attemptLog: { error: string | null }[] }[];
    }>(strictApi, supervisor, 'GET', `/escalations/${run.id}/history`);
    expect(history.status).toBe(200);
    const shown = JSON.stringify(history.body);
    expect(shown).not.toMatch(/ECONNREFUSED|http_\d|timeout|network|5432|loopback/);
  });

  it('connects to the address it checked, never resolving the name a second time', async () => {
    // 'hooks.panah.test' exists only in this resolver: the request can reach the receiver
    // only through the address the guard checked.
    let lookups = 0;
    const guard = new OutboundGuard(parseAllowList('127.0.0.1/32'), async () => {
      lookups++;
      return [{ address: '127.0.0.1', family: 4 }];
    });
    hooks.secrets.set('/pinned', 'pinned-secret');
    await new WebhookChannel(5_000, guard).send(
      { channel: 'webhook', url: `http://hooks.panah.test:${hooks.port}/pinned`, secret: 'pinned-secret' },
      { id: '5f0e8c2e-3f55-4f4e-9d8a-1f2b3c4d5e6f', attempt: 1, subject: 's', text: 't' },
    );
    expect(lookups).toBe(1);
    expect(hooks.at('/pinned')).toHaveLength(1);
    expect(hooks.at('/pinned')[0].verification).toBe('ok');
    // the same guard without the allowance refuses before connecting
    const strictGuard = new OutboundGuard([], async () => [{ address: '127.0.0.1', family: 4 }]);
    await expect(
      new WebhookChannel(5_000, strictGuard).send(
        { channel: 'webhook', url: `http://hooks.panah.test:${hooks.port}/pinned`, secret: 'pinned-secret' },
        { id: '5f0e8c2e-3f55-4f4e-9d8a-1f2b3c4d5e6f', attempt: 1, subject: 's', text: 't' },
      ),
    ).rejects.toMatchObject({ code: 'destination_refused', permanent: true });
    expect(hooks.at('/pinned')).toHaveLength(1);
    expect(worker.app.get(NotificationChannels).outbound).toBeInstanceOf(OutboundGuard);
  });
});
