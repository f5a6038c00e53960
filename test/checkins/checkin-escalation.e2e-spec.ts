import { cryptoReady } from '@panah/crypto';
import { startApi, startWorker, type RunningApp } from '../support/apps';
import { api, registerWithDuress, signedSignal, signInWith } from '../support/checkins';
import { testConfig } from '../support/config';
import { createTestDatabase, sql, type TestDatabase } from '../support/database';
import { addContact, createPolicy, routeEverythingTo } from '../support/escalation';
import { intakeKeys } from '../support/intake';
import { TestSmtpServer } from '../support/smtp';
import { ensureTeam, signedInStaff, type TestStaff } from '../support/staff';
import { waitFor } from '../support/wait';

/**
 * The whole chain, as the issue asks: silence → missed check-in → critical case → escalation run
 * → the first step's notification leaves over SMTP. Likewise a panic and a duress sign-in.
 */
describe('check-in alerts reach a caseworker through escalation', () => {
  let db: TestDatabase;
  let apiApp: RunningApp;
  let worker: RunningApp;
  let smtp: TestSmtpServer;
  let caseworker: TestStaff;
  const inbox = (): string => `${caseworker.login}@staff.example`.toLowerCase();

  beforeAll(async () => {
    await cryptoReady();
    db = await createTestDatabase();
    smtp = await TestSmtpServer.start();
    const keys = await intakeKeys(1);
    const config = testConfig(db.url, {
      ...keys.env,
      SMTP_URL: smtp.url,
      PUBLIC_URL: 'https://panah.example',
      CHECKIN_MIN_INTERVAL_SECONDS: '1',
      CHECKIN_SWEEP_EVERY_MS: '500',
      ESCALATION_SWEEP_EVERY_MS: '500',
    });
    apiApp = await startApi(config);
    worker = await startWorker(config);
    const teamId = await ensureTeam(db, 'safety desk');
    const admin = await signedInStaff(apiApp, db, { role: 'admin' });
    caseworker = await signedInStaff(apiApp, db, { role: 'caseworker', teams: ['safety desk'] });
    await addContact(apiApp, caseworker, 'email', { address: inbox() });
    const policyId = await createPolicy(apiApp, admin, {
      steps: [
        { type: 'notify', targets: [{ type: 'staff', staffId: caseworker.staffId }] },
        { type: 'wait', seconds: 600 },
      ],
    });
    // Safety signals carry no hints: they take the rule set's default team and policy.
    await routeEverythingTo(apiApp, admin, teamId, policyId);
  });

  afterAll(async () => {
    await worker?.close();
    await apiApp?.close();
    await smtp?.close();
    await db?.drop();
  });

  async function caseOf(reporterId: string): Promise<{ id: string; severity: string; reasons: string[] }> {
    return waitFor(
      async () => {
        const client = await sql(db.url);
        try {
          return (
            await client.query<{ id: string; severity: string; reasons: string[] }>(
              `SELECT id, severity, reasons FROM cases WHERE reporter_id = $1`,
              [reporterId],
            )
          ).rows[0];
        } finally {
          await client.close();
        }
      },
      { what: 'the case' },
    );
  }

  it('a missed check-in opens a critical case and the first escalation step emails the caseworker', async () => {
    const r = await registerWithDuress(apiApp.url);
    const session = await signInWith(apiApp.url, r.primary);
    const before = smtp.messages.length;
    await api(apiApp.url, 'PUT', '/v1/checkins/plan', session.auth, {
      schedule: { kind: 'interval', everySeconds: 1 },
      graceSeconds: 1,
    });
    const opened = await caseOf(r.reporterId);
    expect(opened).toMatchObject({ severity: 'critical', reasons: ['missed_checkin'] });
    const mail = await waitFor(() => smtp.messages.slice(before).find((m) => m.to.includes(inbox())), {
      what: 'the first escalation email',
    });
    expect(mail.text).toContain('critical');
    // The email says nothing about check-ins, reporters or places (G5).
    expect(mail.text).not.toMatch(/check-?in|duress|panic/i);
    // The reporter turns up late: recorded on the case, which stays open for the caseworker.
    expect(
      (await api(apiApp.url, 'POST', '/v1/checkins', session.auth, signedSignal('checkin', r.primary)))
        .status,
    ).toBe(201);
    await api(apiApp.url, 'DELETE', '/v1/checkins/plan', session.auth);
    const history = await api(apiApp.url, 'GET', `/v1/cases/${opened.id}/checkins`, caseworker.headers);
    expect((history.json.events as { kind: string }[])[0].kind).toBe('checked_in_after_alert');
  });

  it('a panic and a duress sign-in each reach the caseworker the same way', async () => {
    for (const signal of ['panic', 'duress'] as const) {
      const r = await registerWithDuress(apiApp.url);
      const before = smtp.messages.length;
      if (signal === 'panic') {
        const session = await signInWith(apiApp.url, r.primary);
        expect(
          (await api(apiApp.url, 'POST', '/v1/panic', session.auth, signedSignal('panic', r.primary))).status,
        ).toBe(201);
      } else {
        expect((await signInWith(apiApp.url, r.duress)).status).toBe(201);
      }
      expect(await caseOf(r.reporterId)).toMatchObject({ severity: 'critical', reasons: [signal] });
      await waitFor(() => smtp.messages.slice(before).find((m) => m.to.includes(inbox())), {
        what: `the ${signal} email`,
      });
    }
  });
});
