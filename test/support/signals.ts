import { Queue } from 'bullmq';
import { cryptoReady } from '@panah/crypto';
import type { PanahConfig } from '@panah/config';
import { QueueName } from '@panah/queue';
import { startApi, startWorker, type RunningApp } from './apps';
import { api, registerWithDuress, signedSignal, signInWith, type DuressReporter } from './checkins';
import { testConfig } from './config';
import { createTestDatabase, rowsOf, type TestDatabase } from './database';
import { addContact, call, createPolicy, runOf } from './escalation';
import {
  intakeKeys,
  publishDirectory,
  putReport,
  sealReport,
  signedDirectory,
  type IntakeKeys,
} from './intake';
import { TestSmtpServer } from './smtp';
import { ensureTeam, signedInStaff, type TestStaff } from './staff';
import { waitFor } from './wait';

// Long enough that the acknowledgement's own timeout never fires before the signal is handled.
export const ACK_TIMEOUT_SECONDS = 30;
const PANIC_WINDOW_SECONDS = 1;

export type SignalKind = 'panic' | 'duress' | 'missed_checkin' | 'report' | 'critical_report';

/**
 * Signals on cases (issue 15 point 6), against the real API, worker, PostgreSQL, Redis and SMTP:
 * one caseworker on the team every case goes to, alerted by email by a one-step policy. Reports
 * without hints triage as medium; a report with the `kill_list` hint as critical.
 */
export class SignalStack {
  private constructor(
    readonly db: TestDatabase,
    readonly config: PanahConfig,
    readonly api: RunningApp,
    readonly worker: RunningApp,
    readonly smtp: TestSmtpServer,
    readonly keys: IntakeKeys,
    readonly caseworker: TestStaff,
  ) {}

  static async start(): Promise<SignalStack> {
    await cryptoReady();
    const db = await createTestDatabase();
    const smtp = await TestSmtpServer.start();
    const keys = await intakeKeys(1);
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
    const apiApp = await startApi(config);
    const worker = await startWorker(config);
    await publishDirectory(apiApp, signedDirectory(keys, 'test-deployment'));
    const teamId = await ensureTeam(db, 'safety desk');
    const admin = await signedInStaff(apiApp, db, { role: 'admin' });
    const caseworker = await signedInStaff(apiApp, db, { role: 'caseworker', teams: ['safety desk'] });
    await addContact(apiApp, caseworker, 'email', {
      address: `${caseworker.login}@staff.example`.toLowerCase(),
    });
    const policyId = await createPolicy(apiApp, admin, {
      ackTimeoutSeconds: ACK_TIMEOUT_SECONDS,
      maxSnoozeSeconds: 3_600,
      steps: [
        { type: 'notify', targets: [{ type: 'staff', staffId: caseworker.staffId }] },
        { type: 'wait', seconds: 600 },
      ],
    });
    const route = { kind: 'team', teamId };
    const ruleSet = {
      rules: [
        {
          name: 'kill list',
          when: { category: ['kill_list'] },
          then: { severity: 'critical', route, policyId, deadlineMinutes: 10 },
        },
      ],
      default: { severity: 'medium', route, policyId, deadlineMinutes: 60 },
      defaultTeamId: teamId,
    };
    const res = await call(apiApp, admin, 'POST', '/triage-rules', { ruleSet, activate: true });
    if (res.status !== 201) throw new Error(`rule set: ${res.status} ${JSON.stringify(res.body)}`);
    return new SignalStack(db, config, apiApp, worker, smtp, keys, caseworker);
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.api?.close();
    await this.smtp?.close();
    await this.db?.drop();
  }

  get inbox(): string {
    return `${this.caseworker.login}@staff.example`.toLowerCase();
  }

  q<T>(text: string, params: unknown[] = []): Promise<T[]> {
    return rowsOf<T>(this.db.url, text, params);
  }

  /** A queue of this stack's Redis prefix (pause it, remove a job), closed by the caller. */
  queue(name: QueueName): Queue {
    const q = new Queue(name, {
      connection: { host: '127.0.0.1', port: 6379 },
      prefix: this.config.redis.prefix,
    });
    q.on('error', () => undefined);
    return q;
  }

  /** Sends one signal of `kind` from the reporter (a missed check-in: a plan it then misses). */
  async signal(kind: SignalKind, r: DuressReporter): Promise<void> {
    switch (kind) {
      case 'panic': {
        await waitFor(
          async () =>
            (
              await this.q<{ quiet: boolean }>(
                `SELECT coalesce(max(pressed_at) < now() - make_interval(secs => $2), true) AS quiet FROM panic_events WHERE reporter_id = $1`,
                [r.reporterId, PANIC_WINDOW_SECONDS + 0.5],
              )
            )[0].quiet,
          { what: 'the panic window to pass' },
        );
        const session = await signInWith(this.api.url, r.primary);
        const res = await api(
          this.api.url,
          'POST',
          '/v1/panic',
          session.auth,
          signedSignal('panic', r.primary),
        );
        expect(res.status).toBe(201);
        return;
      }
      case 'duress':
        expect((await signInWith(this.api.url, r.duress)).status).toBe(201);
        return;
      case 'missed_checkin': {
        const session = await signInWith(this.api.url, r.primary);
        const before = await this.missedCheckins(r.reporterId);
        const res = await api(this.api.url, 'PUT', '/v1/checkins/plan', session.auth, {
          schedule: { kind: 'interval', everySeconds: 1 },
          graceSeconds: 1,
        });
        expect(res.status).toBeLessThan(300);
        try {
          await waitFor(async () => (await this.missedCheckins(r.reporterId)) > before, {
            what: 'a missed check-in',
            timeoutMs: 60_000,
          });
        } finally {
          await api(this.api.url, 'DELETE', '/v1/checkins/plan', session.auth);
        }
        return;
      }
      case 'report':
      case 'critical_report': {
        const session = await signInWith(this.api.url, r.primary);
        const envelope = sealReport(
          r.primary,
          this.keys.staff.map((k) => k.publicKey),
          '{"schema":"report/1","narrative":"the car is back"}',
        );
        const hints = kind === 'critical_report' ? { category: 'kill_list' as const } : undefined;
        expect((await putReport(this.api.url, session, envelope, hints)).status).toBe(201);
        return;
      }
    }
  }

  private async missedCheckins(reporterId: string): Promise<number> {
    return (
      await this.q<{ n: number }>(
        `SELECT count(*)::int AS n FROM case_safety_events e JOIN cases c ON c.id = e.case_id WHERE c.reporter_id = $1 AND e.kind = 'missed_checkin'`,
        [reporterId],
      )
    )[0].n;
  }

  caseUpdates(caseId: string): Promise<{ recipient_id: string; status: string }[]> {
    return this.q(
      `SELECT recipient_id, status FROM escalation_notifications WHERE case_id = $1 AND kind = 'case_update' ORDER BY created_at`,
      [caseId],
    );
  }

  /** Waits for a case update to the caseworker beyond the first `before` of the case's. */
  async untilCaseUpdate(caseId: string, before: number, what = 'the case update'): Promise<void> {
    await waitFor(
      async () =>
        (await this.caseUpdates(caseId))
          .slice(before)
          .some((u) => u.recipient_id === this.caseworker.staffId),
      { what, timeoutMs: 60_000 },
    );
  }

  /** Waits for an email to the caseworker beyond the first `before` the SMTP server took. */
  untilCaseUpdateEmail(before: number): Promise<TestSmtpServer['messages'][number]> {
    return waitFor(() => this.smtp.messages.slice(before).find((m) => m.to.includes(this.inbox)), {
      what: 'the case update email',
      timeoutMs: 60_000,
    });
  }

  /** Waits until the case's run is in `state` (active: the acknowledgement taken back, or running again). */
  async untilRun(caseId: string, state: string, what = `the run ${state}`): Promise<void> {
    await waitFor(async () => (await runOf(this.db, caseId))?.state === state, { what, timeoutMs: 60_000 });
  }

  escalationAlerts(runId: string): Promise<{ round: number }[]> {
    return this.q(
      `SELECT round FROM escalation_notifications WHERE run_id = $1 AND kind = 'escalation' AND fallback_of IS NULL ORDER BY created_at`,
      [runId],
    );
  }

  caseRow(caseId: string): Promise<{ state: string; version: number; reasons: string[]; severity: string }> {
    return this.q<{ state: string; version: number; reasons: string[]; severity: string }>(
      `SELECT state, version, reasons, severity FROM cases WHERE id = $1`,
      [caseId],
    ).then((rows) => rows[0]);
  }

  /** A case opened by `kind`, acknowledged by the caseworker its escalation alerted and assigned to them. */
  async acknowledgedCase(
    kind: 'panic' | 'duress',
  ): Promise<{ r: DuressReporter; caseId: string; runId: string }> {
    const { r, caseId, runId } = await this.alertedCase(kind);
    // The acknowledging caseworker takes the case (assigning oneself needs the acknowledgement).
    expect((await call(this.api, this.caseworker, 'POST', `/escalations/${runId}/acknowledge`)).status).toBe(
      200,
    );
    expect(
      (
        await call(this.api, this.caseworker, 'POST', `/cases/${caseId}/assign`, {
          assigneeId: this.caseworker.staffId,
        })
      ).status,
    ).toBe(200);
    expect((await runOf(this.db, caseId))?.state).toBe('acknowledged');
    return { r, caseId, runId };
  }

  /** A case opened by `kind` whose escalation has alerted the caseworker once (not acknowledged). */
  async alertedCase(kind: 'panic' | 'duress'): Promise<{ r: DuressReporter; caseId: string; runId: string }> {
    const r = await registerWithDuress(this.api.url);
    await this.signal(kind, r);
    const caseId = await waitFor(
      async () =>
        (await this.q<{ id: string }>(`SELECT id FROM cases WHERE reporter_id = $1`, [r.reporterId]))[0]?.id,
      { what: 'the case', timeoutMs: 60_000 },
    );
    const run = await waitFor(() => runOf(this.db, caseId), { what: 'the run', timeoutMs: 60_000 });
    await waitFor(async () => (await this.escalationAlerts(run.id)).length === 1, {
      what: 'the first alert',
      timeoutMs: 60_000,
    });
    return { r, caseId, runId: run.id };
  }
}
