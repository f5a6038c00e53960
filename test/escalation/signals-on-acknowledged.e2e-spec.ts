import { cryptoReady } from '@panah/crypto';
import { startApi, startWorker, type RunningApp } from '../support/apps';
import { api, registerWithDuress, signedSignal, signInWith, type DuressReporter } from '../support/checkins';
import { testConfig } from '../support/config';
import { createTestDatabase, rowsOf, type TestDatabase } from '../support/database';
import { addContact, call, createPolicy, eventsOf, routeEverythingTo, runOf } from '../support/escalation';
import {
  intakeKeys,
  publishDirectory,
  putReport,
  sealReport,
  signedDirectory,
  type IntakeKeys,
} from '../support/intake';
import { TestSmtpServer } from '../support/smtp';
import { ensureTeam, signedInStaff, type TestStaff } from '../support/staff';
import { waitFor } from '../support/wait';

// Long enough that the acknowledgement's own timeout never fires before the signal is handled.
const ACK_TIMEOUT_SECONDS = 30;
const PANIC_WINDOW_SECONDS = 1;

/**
 * Issue 15 point 6, against the real API, worker, PostgreSQL, Redis and SMTP: a panic or a duress
 * sign-in on a case its assignee acknowledged tells the assignee at once and puts the escalation
 * back to unacknowledged; without a new acknowledgement within the ack timeout the policy starts
 * over from its first step.
 */
describe('signals on an acknowledged case reach a person', () => {
  let db: TestDatabase;
  let apiApp: RunningApp;
  let worker: RunningApp;
  let smtp: TestSmtpServer;
  let caseworker: TestStaff;
  let keys: IntakeKeys;
  const inbox = (): string => `${caseworker.login}@staff.example`.toLowerCase();
  const q = <T>(text: string, params: unknown[] = []): Promise<T[]> => rowsOf<T>(db.url, text, params);

  beforeAll(async () => {
    await cryptoReady();
    db = await createTestDatabase();
    smtp = await TestSmtpServer.start();
    keys = await intakeKeys(1);
    const config = testConfig(db.url, {
      ...keys.env,
      SMTP_URL: smtp.url,
      PUBLIC_URL: 'https://panah.example',
      ESCALATION_SWEEP_EVERY_MS: '500',
      CHECKIN_MIN_INTERVAL_SECONDS: '1',
      CHECKIN_SWEEP_EVERY_MS: '500',
      // Presses within the window of the last one are the same signal: a later press is a new one.
      CHECKIN_PANIC_WINDOW_SECONDS: String(PANIC_WINDOW_SECONDS),
    });
    apiApp = await startApi(config);
    worker = await startWorker(config);
    await publishDirectory(apiApp, signedDirectory(keys, 'test-deployment'));
    const teamId = await ensureTeam(db, 'safety desk');
    const admin = await signedInStaff(apiApp, db, { role: 'admin' });
    caseworker = await signedInStaff(apiApp, db, { role: 'caseworker', teams: ['safety desk'] });
    await addContact(apiApp, caseworker, 'email', { address: inbox() });
    const policyId = await createPolicy(apiApp, admin, {
      ackTimeoutSeconds: ACK_TIMEOUT_SECONDS,
      steps: [
        { type: 'notify', targets: [{ type: 'staff', staffId: caseworker.staffId }] },
        { type: 'wait', seconds: 600 },
      ],
    });
    await routeEverythingTo(apiApp, admin, teamId, policyId);
  });

  afterAll(async () => {
    await worker?.close();
    await apiApp?.close();
    await smtp?.close();
    await db?.drop();
  });

  async function signal(kind: 'panic' | 'duress', r: DuressReporter): Promise<void> {
    if (kind === 'panic') {
      await waitFor(
        async () =>
          (
            await q<{ quiet: boolean }>(
              `SELECT coalesce(max(pressed_at) < now() - make_interval(secs => $2), true) AS quiet FROM panic_events WHERE reporter_id = $1`,
              [r.reporterId, PANIC_WINDOW_SECONDS + 0.5],
            )
          )[0].quiet,
        { what: 'the panic window to pass' },
      );
      const session = await signInWith(apiApp.url, r.primary);
      expect(
        (await api(apiApp.url, 'POST', '/v1/panic', session.auth, signedSignal('panic', r.primary))).status,
      ).toBe(201);
    } else {
      expect((await signInWith(apiApp.url, r.duress)).status).toBe(201);
    }
  }

  const caseUpdates = (caseId: string): Promise<{ recipient_id: string; status: string }[]> =>
    q(
      `SELECT recipient_id, status FROM escalation_notifications WHERE case_id = $1 AND kind = 'case_update' ORDER BY created_at`,
      [caseId],
    );
  const escalationAlerts = (runId: string): Promise<{ round: number }[]> =>
    q(
      `SELECT round FROM escalation_notifications WHERE run_id = $1 AND kind = 'escalation' AND fallback_of IS NULL ORDER BY created_at`,
      [runId],
    );

  /** A case opened by `kind`, alerted, acknowledged by the caseworker and assigned to them. */
  async function acknowledgedCase(
    kind: 'panic' | 'duress',
  ): Promise<{ r: DuressReporter; caseId: string; runId: string }> {
    const r = await registerWithDuress(apiApp.url);
    await signal(kind, r);
    const caseId = await waitFor(
      async () =>
        (await q<{ id: string }>(`SELECT id FROM cases WHERE reporter_id = $1`, [r.reporterId]))[0]?.id,
      { what: 'the case', timeoutMs: 60_000 },
    );
    const run = await waitFor(() => runOf(db, caseId), { what: 'the run', timeoutMs: 60_000 });
    await waitFor(async () => (await escalationAlerts(run.id)).length === 1, {
      what: 'the first alert',
      timeoutMs: 60_000,
    });
    // The acknowledging caseworker takes the case (assigning oneself needs the acknowledgement).
    expect((await call(apiApp, caseworker, 'POST', `/escalations/${run.id}/acknowledge`)).status).toBe(200);
    expect(
      (await call(apiApp, caseworker, 'POST', `/cases/${caseId}/assign`, { assigneeId: caseworker.staffId }))
        .status,
    ).toBe(200);
    expect((await runOf(db, caseId))?.state).toBe('acknowledged');
    return { r, caseId, runId: run.id };
  }

  it.each(['panic', 'duress'] as const)(
    'a %s on an acknowledged case emails the assignee at once and takes the acknowledgement back',
    async (kind) => {
      const { r, caseId, runId } = await acknowledgedCase(kind);
      const updatesBefore = (await caseUpdates(caseId)).length;
      const mailsBefore = smtp.messages.length;
      await signal(kind, r);
      await waitFor(async () => (await caseUpdates(caseId)).length > updatesBefore, {
        what: 'the case update',
        timeoutMs: 60_000,
      });
      const update = (await caseUpdates(caseId)).slice(updatesBefore);
      expect(update.map((u) => u.recipient_id)).toEqual([caseworker.staffId]);
      const mail = await waitFor(() => smtp.messages.slice(mailsBefore).find((m) => m.to.includes(inbox())), {
        what: 'the case update email',
        timeoutMs: 60_000,
      });
      expect(mail.text).not.toMatch(/duress|panic/i);
      await waitFor(async () => (await runOf(db, caseId))?.state === 'active', {
        what: 'the run unacknowledged',
        timeoutMs: 60_000,
      });
      expect(await eventsOf(db, runId)).toContain('unacknowledged');
      expect((await q<{ state: string }>(`SELECT state FROM cases WHERE id = $1`, [caseId]))[0].state).toBe(
        'open',
      );
      const ack = await q<{ acknowledged_by: string | null }>(
        `SELECT acknowledged_by FROM escalation_runs WHERE id = $1`,
        [runId],
      );
      expect(ack[0].acknowledged_by).toBeNull();
    },
  );

  it('without a new acknowledgement within the ack timeout the escalation starts over from its first step', async () => {
    const { r, caseId, runId } = await acknowledgedCase('panic');
    await signal('panic', r);
    await waitFor(async () => (await runOf(db, caseId))?.state === 'active', {
      what: 'the run unacknowledged',
      timeoutMs: 60_000,
    });
    // The first step alerts again (a new round) once the ack timeout has passed.
    const alerts = await waitFor(
      async () => {
        const a = await escalationAlerts(runId);
        return a.length >= 2 ? a : null;
      },
      { what: 'the first step again', timeoutMs: 120_000 },
    );
    expect(alerts[1].round).toBeGreaterThan(alerts[0].round);
    // Resumed by the unacknowledgement's wake-up, not by the first acknowledgement's timeout (fenced off).
    const events = await eventsOf(db, runId);
    expect(events).toContain('unacknowledged');
    expect(events).not.toContain('reactivated');
  });

  it('a missed check-in on an acknowledged case emails the assignee at once and takes the acknowledgement back', async () => {
    const { r, caseId, runId } = await acknowledgedCase('duress');
    const updatesBefore = (await caseUpdates(caseId)).length;
    const session = await signInWith(apiApp.url, r.primary);
    expect(
      (
        await api(apiApp.url, 'PUT', '/v1/checkins/plan', session.auth, {
          schedule: { kind: 'interval', everySeconds: 1 },
          graceSeconds: 1,
        })
      ).status,
    ).toBeLessThan(300);
    try {
      await waitFor(
        async () =>
          (
            await q<{ reasons: string[] }>(`SELECT reasons FROM cases WHERE id = $1`, [caseId])
          )[0].reasons.includes('missed_checkin'),
        {
          what: 'the missed check-in on the case',
          timeoutMs: 60_000,
        },
      );
      await waitFor(
        async () =>
          (await caseUpdates(caseId)).slice(updatesBefore).some((u) => u.recipient_id === caseworker.staffId),
        { what: 'the case update', timeoutMs: 60_000 },
      );
      await waitFor(async () => (await runOf(db, caseId))?.state === 'active', {
        what: 'the run unacknowledged',
        timeoutMs: 60_000,
      });
      expect(await eventsOf(db, runId)).toContain('unacknowledged');
    } finally {
      await api(apiApp.url, 'DELETE', '/v1/checkins/plan', session.auth);
    }
  });

  it('a new report on an acknowledged case emails the assignee at once and keeps the acknowledgement', async () => {
    const { r, caseId, runId } = await acknowledgedCase('duress');
    const updatesBefore = (await caseUpdates(caseId)).length;
    const session = await signInWith(apiApp.url, r.primary);
    const envelope = sealReport(
      r.primary,
      keys.staff.map((k) => k.publicKey),
      '{"schema":"report/1","narrative":"the car is back"}',
    );
    expect((await putReport(apiApp.url, session, envelope)).status).toBe(201);
    await waitFor(
      async () =>
        (await caseUpdates(caseId)).slice(updatesBefore).some((u) => u.recipient_id === caseworker.staffId),
      { what: 'the case update', timeoutMs: 60_000 },
    );
    expect(
      (await q<{ case_id: string }>(`SELECT case_id FROM reports WHERE id = $1`, [envelope.id]))[0].case_id,
    ).toBe(caseId);
    expect((await runOf(db, caseId))?.state).toBe('acknowledged');
    expect(await eventsOf(db, runId)).not.toContain('unacknowledged');
  });
});
