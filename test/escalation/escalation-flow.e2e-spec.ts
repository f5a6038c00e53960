import { randomUUID } from 'node:crypto';
import { Queue, UnrecoverableError } from 'bullmq';
import Redis from 'ioredis';
import { type PanahConfig } from '@panah/config';
import { cryptoReady } from '@panah/crypto';
import { EscalationEngine } from '@panah/escalation';
import { QueueName } from '@panah/queue';
import { RunningApp, startApi, startWorker } from '../support/apps';
import { testConfig } from '../support/config';
import { createTestDatabase, sql, TestDatabase } from '../support/database';
import {
  ackTokenIn,
  addContact,
  call,
  createPolicy,
  eventsOf,
  notificationsOf,
  openCase,
  raiseCase,
  runOf,
  type RunRowView,
} from '../support/escalation';
import {
  intakeKeys,
  IntakeKeys,
  publishDirectory,
  putReport,
  sealReport,
  signedDirectory,
  signedInReporter,
} from '../support/intake';
import { TestSmtpServer } from '../support/smtp';
import { createStaffRow, ensureTeam, signedInStaff, TestStaff } from '../support/staff';
import { waitFor } from '../support/wait';
import { TestWebhookReceiver } from '../support/webhook';

const CANARY = 'CANARY-Karimi-Hamburg-Steindamm-17';

describe('escalation, end to end (worker, PostgreSQL, Redis, SMTP, webhooks)', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let worker: RunningApp;
  let smtp: TestSmtpServer;
  let hooks: TestWebhookReceiver;
  let keys: IntakeKeys;
  let config: PanahConfig;
  let admin: TestStaff;
  let supervisor: TestStaff;
  let tier1: TestStaff; // email
  let tier2: TestStaff; // webhook
  let teamId: string;
  const mail = (who: TestStaff) => `${who.login}@staff.example`;

  const threeTiers = (wait = 3, extra: Record<string, unknown> = {}) => ({
    ...extra,
    steps: [
      { type: 'notify', targets: [{ type: 'staff', staffId: tier1.staffId }] },
      { type: 'wait', seconds: wait },
      { type: 'notify', targets: [{ type: 'staff', staffId: tier2.staffId }] },
      { type: 'wait', seconds: wait },
      { type: 'notify', targets: [{ type: 'supervisors', teamId }] },
    ],
  });
  const runFor = (caseId: string, state?: string): Promise<RunRowView> =>
    waitFor(
      async () => {
        const r = await runOf(db, caseId);
        return r && (!state || r.state === state) ? r : null;
      },
      { what: `run ${state ?? ''}` },
    );

  /** Open cases without their case.opened event: only direct engine calls start them. */
  const insertCases = async (
    n: number,
    caseTeam: string,
    policyId: string,
    state = 'open',
  ): Promise<string[]> => {
    const pg = await sql(db.url);
    try {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const id = randomUUID();
        const reporterId = `r-${randomUUID()}`;
        await pg.query(`INSERT INTO reporters (id) VALUES ($1)`, [reporterId]);
        await pg.query(
          `INSERT INTO cases (id, reporter_id, state, severity, team_id, policy_id, deadline_at, reasons) VALUES ($1, $2, $3, 'high', $4, $5, now() + interval '1 hour', '{report}')`,
          [id, reporterId, state, caseTeam, policyId],
        );
        ids.push(id);
      }
      return ids;
    } finally {
      await pg.close();
    }
  };

  beforeAll(async () => {
    await cryptoReady();
    db = await createTestDatabase();
    smtp = await TestSmtpServer.start();
    hooks = await TestWebhookReceiver.start();
    keys = await intakeKeys(1);
    config = testConfig(db.url, {
      ...keys.env,
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
    await publishDirectory(api, signedDirectory(keys, 'test-deployment'));
    teamId = await ensureTeam(db, 'Hamburg desk');
    admin = await signedInStaff(api, db, { role: 'admin' });
    supervisor = await signedInStaff(api, db, { role: 'supervisor', teams: ['Hamburg desk'] });
    tier1 = await signedInStaff(api, db, { role: 'caseworker', teams: ['Hamburg desk'] });
    tier2 = await signedInStaff(api, db, { role: 'caseworker', teams: ['Hamburg desk'] });
    await addContact(api, tier1, 'email', { address: mail(tier1) });
    const hook = await addContact(api, tier2, 'webhook', { url: hooks.url(`/t2`) });
    hooks.secrets.set('/t2', hook.webhookSecret as string);
    await addContact(api, supervisor, 'email', { address: mail(supervisor) });
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await smtp?.close();
    await hooks?.close();
    await db?.drop();
  });

  it('notifies tier 1, then tier 2 after the wait, and stops as soon as someone acknowledges; nothing from the report leaks; signatures verify', async () => {
    const policyId = await createPolicy(api, admin, threeTiers());
    const rules = {
      rules: [
        {
          name: 'kill list',
          when: { category: ['kill_list'] },
          then: { severity: 'critical', route: { kind: 'team', teamId }, policyId, deadlineMinutes: 10 },
        },
      ],
      default: { severity: 'low', route: { kind: 'team', teamId }, deadlineMinutes: 1440 },
      defaultTeamId: teamId,
    };
    expect((await call(api, admin, 'POST', '/triage-rules', { ruleSet: rules, activate: true })).status).toBe(
      201,
    );

    // A real report through intake and triage: the hint values and the canary must never reach a channel.
    const reporter = await signedInReporter(api.url);
    const envelope = sealReport(
      reporter,
      [keys.staff[0].publicKey],
      JSON.stringify({ schema: 'report/v1', text: CANARY }),
    );
    const hints = {
      category: 'kill_list',
      perpetrator: 'regime_intelligence',
      imminence: 'days',
      country: 'DE',
      language: 'prs',
    } as const;
    expect((await putReport(api.url, reporter, envelope, hints)).status).toBe(201);

    const email = await waitFor(() => smtp.to(mail(tier1))[0], { what: 'tier 1 email' });
    expect(hooks.at('/t2')).toHaveLength(0); // tier 2 only after the wait
    const hook = await waitFor(() => hooks.at('/t2')[0], { what: 'tier 2 webhook' });
    expect(hook.verification).toBe('ok');

    // Tier 2 acknowledges through the one-click link (after signing in).
    const token = ackTokenIn(hook.text);
    const ack = await call<{ state: string; caseId: string }>(
      api,
      tier2,
      'POST',
      '/escalation-links/acknowledge',
      { token },
    );
    expect(ack.status).toBe(200);
    expect(ack.body.state).toBe('acknowledged');
    // The link is personal: someone else signed in cannot use it.
    expect((await call(api, tier1, 'POST', '/escalation-links/acknowledge', { token })).status).toBe(403);

    // Give tier 3's step time to come due; it must find the run acknowledged and do nothing.
    const run = await runFor(ack.body.caseId, 'acknowledged');
    await new Promise((r) => setTimeout(r, 4_500));
    expect(smtp.to(mail(supervisor))).toHaveLength(0);
    const sent = await notificationsOf(db, run.id);
    expect(sent.map((n) => [n.recipient_id, n.channel, n.status])).toEqual([
      [tier1.staffId, 'email', 'delivered'],
      [tier2.staffId, 'webhook', 'delivered'],
    ]);
    const pg = await sql(db.url);
    const caseRow = await pg.query(`SELECT state FROM cases WHERE id = $1`, [ack.body.caseId]);
    // Contact details are encrypted at rest: neither the address nor the webhook URL is in the table.
    const stored = await pg.query(`SELECT string_agg(detail_ciphertext, ' ') AS all FROM contact_methods`);
    await pg.close();
    expect(stored.rows[0].all).not.toContain(mail(tier1));
    expect(stored.rows[0].all).not.toContain('127.0.0.1');
    expect(caseRow.rows[0].state).toBe('acknowledged');

    // G5: the fixed sentence only, padded; nothing from the report or its hints.
    const emailBody = email.text.slice(email.text.indexOf('\r\n\r\n'));
    for (const text of [emailBody, hook.text, hook.body]) {
      for (const secret of [
        CANARY,
        'kill_list',
        'regime_intelligence',
        'prs',
        'Hamburg',
        tier1.login,
        tier2.login,
      ])
        expect(text).not.toContain(secret);
    }
    expect(hook.text).toMatch(
      /^Panah: critical case [A-Z0-9]{8} needs acknowledgement — https:\/\/panah\.example\/ack#pk_[A-Za-z0-9_-]{43} +$/,
    );
    expect(hook.text).toHaveLength(240);
    expect(email.text).toContain('Subject: Panah: acknowledgement needed');
    const logs = [...api.logs.lines, ...worker.logs.lines].join('\n');
    for (const secret of [mail(tier1), token, CANARY, hooks.url('/t2')]) expect(logs).not.toContain(secret);
  });

  it('re-activates an acknowledged run when the acknowledgement times out', async () => {
    const policyId = await createPolicy(api, admin, threeTiers(30, { ackTimeoutSeconds: 5 }));
    const caseId = await openCase(db, { severity: 'high', teamId, policyId });
    const run = await runFor(caseId);
    await waitFor(async () => (await notificationsOf(db, run.id)).length === 1, { what: 'tier 1 notified' });
    expect((await call(api, tier1, 'POST', `/escalations/${run.id}/acknowledge`)).status).toBe(200);
    const again = await waitFor(
      async () => {
        const n = await notificationsOf(db, run.id);
        return n.length === 2 ? n : null;
      },
      { what: 'notified again after the ack timeout' },
    );
    expect(again.map((n) => [n.recipient_id, n.step, n.round])).toEqual([
      [tier1.staffId, 0, 0],
      [tier1.staffId, 0, 1],
    ]);
    expect(await eventsOf(db, run.id)).toEqual(expect.arrayContaining(['acknowledged', 'reactivated']));
    expect((await runOf(db, caseId))?.state).toBe('active');
  });

  it('pauses a snoozed run and resumes it with the pending step', async () => {
    const policyId = await createPolicy(api, admin, threeTiers(2, { maxSnoozeSeconds: 60 }));
    const caseId = await openCase(db, { severity: 'high', teamId, policyId });
    const run = await runFor(caseId);
    const snoozed = await call<{ state: string }>(api, tier1, 'POST', `/escalations/${run.id}/snooze`, {
      seconds: 4,
    });
    expect([snoozed.status, snoozed.body.state]).toEqual([200, 'snoozed']);
    expect(
      (await call(api, tier1, 'POST', `/escalations/${run.id}/snooze`, { seconds: 61 })).body,
    ).toMatchObject({ reason: 'escalation/snooze_too_long' });
    const after = await waitFor(
      async () => {
        const n = await notificationsOf(db, run.id);
        return n.length >= 2 ? n : null;
      },
      { what: 'tier 2 after the snooze' },
    );
    expect(after[1].recipient_id).toBe(tier2.staffId);
    const events = await eventsOf(db, run.id);
    expect(events.indexOf('resumed')).toBeGreaterThan(events.indexOf('snoozed'));
  });

  it('stops for good once resolved', async () => {
    const policyId = await createPolicy(api, admin, threeTiers(2, { ackTimeoutSeconds: 5 }));
    const caseId = await openCase(db, { severity: 'medium', teamId, policyId });
    const run = await runFor(caseId);
    expect((await call(api, tier1, 'POST', `/escalations/${run.id}/resolve`)).status).toBe(200);
    expect((await call(api, tier1, 'POST', `/escalations/${run.id}/acknowledge`)).body).toMatchObject({
      reason: 'escalation/resolved',
    });
    await new Promise((r) => setTimeout(r, 5_000));
    expect((await notificationsOf(db, run.id)).map((n) => n.recipient_id)).toEqual([tier1.staffId]);
    expect((await runOf(db, caseId))?.state).toBe('resolved');
  });

  it('audits every read of an escalation history like a case read (G6): who read it, which case, which run; a refused read writes nothing', async () => {
    const policyId = await createPolicy(api, admin, threeTiers());
    const caseId = await openCase(db, { severity: 'medium', teamId, policyId });
    const run = await runFor(caseId);
    const outsider = await signedInStaff(api, db, { role: 'caseworker', teams: [] });
    const reads = async () => {
      const pg = await sql(db.url);
      const r = await pg.query(
        `SELECT actor_type, actor_id, target_type, details FROM audit_log
          WHERE action = 'case.escalation_history_viewed' AND target_id = $1 ORDER BY seq`,
        [caseId],
      );
      await pg.close();
      return r.rows as { actor_type: string; actor_id: string; target_type: string; details: unknown }[];
    };
    expect(await reads()).toEqual([]);
    expect((await call(api, outsider, 'GET', `/escalations/${run.id}/history`)).status).toBe(404);
    expect(await reads()).toEqual([]);
    expect((await call(api, supervisor, 'GET', `/escalations/${run.id}/history`)).status).toBe(200);
    expect((await call(api, tier1, 'GET', `/escalations/${run.id}/history`)).status).toBe(200);
    expect(await reads()).toEqual([
      { actor_type: 'staff', actor_id: supervisor.staffId, target_type: 'case', details: { runId: run.id } },
      { actor_type: 'staff', actor_id: tier1.staffId, target_type: 'case', details: { runId: run.id } },
    ]);
    await call(api, tier1, 'POST', `/escalations/${run.id}/resolve`);
  });

  it('starts a batch of cases in one transaction as it would one by one, and a case.opened racing its case.updated starts one run', async () => {
    const quietTeam = await ensureTeam(db, 'Batch desk');
    const batchSupervisor = await signedInStaff(api, db, { role: 'supervisor', teams: ['Batch desk'] });
    const policyId = await createPolicy(api, admin, {
      steps: [{ type: 'notify', targets: [{ type: 'supervisors', teamId: quietTeam }] }],
    });
    const engine = worker.app.get(EscalationEngine);
    const [a, b] = await insertCases(2, quietTeam, policyId);
    const [resolved] = await insertCases(1, quietTeam, policyId, 'resolved');
    const missing = randomUUID();

    const first = await engine.startForCases([b, missing, resolved, a]);
    expect([first.get(a), first.get(b), first.get(resolved)]).toEqual(['started', 'started', 'closed']);
    expect(first.get(missing)).toBeInstanceOf(UnrecoverableError);
    const again = await engine.startForCases([a, b]);
    expect([again.get(a), again.get(b)]).toEqual(['exists', 'exists']);
    for (const id of [a, b]) {
      const run = await runOf(db, id);
      expect(run).toMatchObject({ policy_version: 1, severity: 'high' });
      expect(await eventsOf(db, (run as RunRowView).id)).toEqual(['started', 'step', 'exhausted']);
      // Both cases read the team's directory once between them; each still alerts its supervisor.
      expect((await notificationsOf(db, (run as RunRowView).id)).map((n) => n.recipient_id)).toEqual([
        batchSupervisor.staffId,
      ]);
    }
    expect(await runOf(db, resolved)).toBeNull();

    // Both events of a case at once: they must take turns, not both find no run and both insert one.
    const racing = await insertCases(8, quietTeam, policyId);
    const outcomes = await Promise.allSettled(
      racing.flatMap((id) => [engine.startForCase(id), engine.caseUpdated(id)]),
    );
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    const pg = await sql(db.url);
    const { rows } = await pg.query(
      `SELECT count(*)::int AS n FROM escalation_runs WHERE case_id = ANY($1::uuid[])`,
      [racing],
    );
    await pg.close();
    expect(rows[0]).toEqual({ n: racing.length });
  });

  it('writes nothing for a case whose run exists, also when it is batched with a new one', async () => {
    const desk = await ensureTeam(db, 'Mixed batch desk');
    await signedInStaff(api, db, { role: 'supervisor', teams: ['Mixed batch desk'] });
    const policyId = await createPolicy(api, admin, {
      steps: [
        { type: 'notify', targets: [{ type: 'supervisors', teamId: desk }] },
        { type: 'wait', seconds: 600 },
        { type: 'notify', targets: [{ type: 'supervisors', teamId: desk }] },
      ],
    });
    const pg = await sql(db.url);
    try {
      const engine = worker.app.get(EscalationEngine);
      const [old, fresh] = await insertCases(2, desk, policyId);
      expect(await engine.startForCase(old)).toBe('started');
      const outcomes = await engine.startForCases([fresh, old]);
      expect([outcomes.get(old), outcomes.get(fresh)]).toEqual(['exists', 'started']);
      for (const id of [old, fresh]) {
        const run = (await runOf(db, id)) as RunRowView;
        expect(await eventsOf(db, run.id)).toEqual(['started', 'step']);
        expect(await notificationsOf(db, run.id)).toHaveLength(1);
        const wakeUps = await pg.query(
          `SELECT count(*)::int AS n FROM outbox WHERE job_name = 'escalation.step' AND payload->>'runId' = $1`,
          [run.id],
        );
        expect(wakeUps.rows[0].n).toBe(1);
      }
      const perCase = await pg.query(
        `SELECT count(*)::int AS n FROM escalation_notifications WHERE case_id = $1`,
        [old],
      );
      expect(perCase.rows[0].n).toBe(1);
      // The skipped start's planned run id must leave no trace anywhere (none of these tables has a foreign key to catch it).
      const orphans = await pg.query(
        `SELECT (SELECT count(*) FROM escalation_run_events e WHERE NOT EXISTS (SELECT 1 FROM escalation_runs r WHERE r.id = e.run_id))::int AS events,
                (SELECT count(*) FROM escalation_notifications n WHERE n.run_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM escalation_runs r WHERE r.id = n.run_id))::int AS notifications,
                (SELECT count(*) FROM escalation_ack_links l WHERE NOT EXISTS (SELECT 1 FROM escalation_runs r WHERE r.id = l.run_id))::int AS links,
                (SELECT count(*) FROM outbox o WHERE o.job_name = 'escalation.step' AND NOT EXISTS (SELECT 1 FROM escalation_runs r WHERE r.id::text = o.payload->>'runId'))::int AS wake_ups`,
      );
      expect(orphans.rows[0]).toEqual({ events: 0, notifications: 0, links: 0, wake_ups: 0 });
    } finally {
      await pg.close();
    }
  });

  it('alerts only active people: never an admin who is in the team, a suspended member, or someone whose on-call override has ended', async () => {
    const guarded = await ensureTeam(db, 'Guarded desk');
    const member = await signedInStaff(api, db, { role: 'caseworker', teams: ['Guarded desk'] });
    const lead = await signedInStaff(api, db, { role: 'supervisor', teams: ['Guarded desk'] });
    const teamAdmin = await createStaffRow(api, db, { role: 'admin', teams: ['Guarded desk'] });
    const suspended = await createStaffRow(api, db, {
      role: 'caseworker',
      teams: ['Guarded desk'],
      status: 'suspended',
    });
    const formerCover = await signedInStaff(api, db, { role: 'caseworker', teams: ['Hamburg desk'] });
    const set = await call(api, lead, 'PUT', `/admin/teams/${guarded}/on-call`, {
      timeZone: 'UTC',
      handoffTime: '00:00',
      rotationStart: '2025-01-06',
      members: [member.staffId],
    });
    expect(set.status).toBe(200);
    const pg = await sql(db.url);
    try {
      await pg.query(
        `INSERT INTO oncall_overrides (id, schedule_id, staff_id, starts_at, ends_at) SELECT $1, id, $2, now() - interval '2 hours', now() - interval '1 minute' FROM oncall_schedules WHERE team_id = $3`,
        [randomUUID(), formerCover.staffId, guarded],
      );
    } finally {
      await pg.close();
    }
    const policyId = await createPolicy(api, admin, {
      steps: [
        { type: 'notify', targets: [{ type: 'team', teamId: guarded }] },
        { type: 'notify', targets: [{ type: 'on_call', teamId: guarded }] },
      ],
    });
    const run = await runFor(
      await openCase(db, { severity: 'high', teamId: guarded, policyId }),
      'exhausted',
    );
    const alerted = (await notificationsOf(db, run.id)).map((n) => [n.step, n.recipient_id]);
    expect(
      alerted
        .filter(([step]) => step === 0)
        .map(([, who]) => who)
        .sort(),
    ).toEqual([member.staffId, lead.staffId].sort());
    expect(alerted.filter(([step]) => step === 1)).toEqual([[1, member.staffId]]);
    expect(alerted.map(([, who]) => who)).not.toEqual(expect.arrayContaining([teamAdmin.staffId]));
    expect(alerted.map(([, who]) => who)).not.toEqual(expect.arrayContaining([suspended.staffId]));
    expect(alerted.map(([, who]) => who)).not.toEqual(expect.arrayContaining([formerCover.staffId]));
  });

  it('writes everything one advance decides, at the start and at a later step: history in order, notifications with links, the next wake-up, the overdue mark', async () => {
    await ensureTeam(db, 'Unreachable desk');
    const unreachable = await signedInStaff(api, db, { role: 'caseworker', teams: ['Unreachable desk'] }); // no contact method
    const policyId = await createPolicy(api, admin, {
      steps: [
        {
          type: 'notify',
          targets: [
            { type: 'staff', staffId: tier1.staffId },
            { type: 'staff', staffId: unreachable.staffId },
          ],
        },
        { type: 'wait', seconds: 1 },
        { type: 'notify', targets: [{ type: 'staff', staffId: tier1.staffId }] },
        { type: 'mark_overdue' },
      ],
    });
    const overdueAtOnce = await createPolicy(api, admin, { steps: [{ type: 'mark_overdue' }] });
    const caseId = await openCase(db, { severity: 'high', teamId, policyId });
    const started = await runFor(caseId);
    const pg = await sql(db.url);
    const eventRows = async (runId: string) =>
      (
        await pg.query(
          `SELECT kind, step, round, details FROM escalation_run_events WHERE run_id = $1 ORDER BY id`,
          [runId],
        )
      ).rows;
    const runRow = async (runId: string) =>
      (
        await pg.query(
          `SELECT state, step, overdue_at IS NOT NULL AS overdue, next_step_at IS NOT NULL AS due FROM escalation_runs WHERE id = $1`,
          [runId],
        )
      ).rows[0];
    const wakeUps = async (runId: string) =>
      (
        await pg.query(
          `SELECT payload FROM outbox WHERE job_name = 'escalation.step' AND payload->>'runId' = $1 ORDER BY id`,
          [runId],
        )
      ).rows.map((r) => r.payload);
    try {
      expect(await eventRows(started.id)).toEqual([
        { kind: 'started', step: null, round: null, details: { severity: 'high', policyVersion: 1 } },
        { kind: 'step', step: 0, round: 0, details: { action: 'start', notified: 2, latenessMs: 0 } },
      ]);
      expect(await wakeUps(started.id)).toEqual([{ runId: started.id, fence: 0, step: 2, round: 0 }]);
      // The reachable one is queued for delivery; the unreachable one is recorded as failed, not dropped.
      const byStep = (x: { recipient_id: string; step: number }, y: { recipient_id: string; step: number }) =>
        x.step - y.step || x.recipient_id.localeCompare(y.recipient_id);
      const first = (await notificationsOf(db, started.id)).sort(byStep);
      expect(first.map((n) => [n.recipient_id, n.channel, n.status])).toEqual(
        [
          [tier1.staffId, 'email', expect.stringMatching(/^(pending|sending|sent|delivered)$/)],
          [unreachable.staffId, 'none', 'failed'],
        ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
      );
      const reachable = first.find((n) => n.recipient_id === tier1.staffId);
      const deliveries = await pg.query(
        `SELECT payload FROM outbox WHERE job_name = 'notification.deliver' AND payload->>'notificationId' = ANY($1::text[])`,
        [first.map((n) => n.id)],
      );
      expect(deliveries.rows.map((r) => r.payload)).toEqual([{ notificationId: reachable?.id, attempt: 1 }]);
      const links = await pg.query(
        `SELECT recipient_id FROM escalation_ack_links WHERE run_id = $1 ORDER BY recipient_id`,
        [started.id],
      );
      expect(links.rows.map((r) => r.recipient_id)).toEqual([tier1.staffId, unreachable.staffId].sort());

      // The wake-up runs the rest: a second notification, the overdue mark (which tells the admin), and the policy runs out.
      await runFor(caseId, 'exhausted');
      const admins = (
        await pg.query(`SELECT id FROM staff WHERE role = 'admin' AND status = 'active'`)
      ).rows.map((r) => r.id as string);
      expect(admins).toContain(admin.staffId);
      expect((await eventRows(started.id)).slice(2)).toEqual([
        { kind: 'overdue', step: 3, round: 0, details: {} },
        {
          kind: 'step',
          step: 2,
          round: 0,
          details: { action: 'execute', notified: 1 + admins.length, latenessMs: expect.any(Number) },
        },
        { kind: 'exhausted', step: 2, round: 0, details: {} },
      ]);
      expect(await runRow(started.id)).toEqual({ state: 'exhausted', step: 2, overdue: true, due: false });
      expect(
        (await notificationsOf(db, started.id)).sort(byStep).map((n) => [n.recipient_id, n.step]),
      ).toEqual([
        ...[tier1.staffId, unreachable.staffId].sort().map((id) => [id, 0]),
        [tier1.staffId, 2],
        ...admins.sort().map((id) => [id, 3]),
      ]);
      expect(await wakeUps(started.id)).toHaveLength(1);

      // A start that passes the deadline at once writes the mark with the run, and no wake-up.
      const overdueCase = await openCase(db, { severity: 'high', teamId, policyId: overdueAtOnce });
      const overdue = await runFor(overdueCase);
      expect((await eventRows(overdue.id)).map((e) => e.kind)).toEqual([
        'started',
        'overdue',
        'step',
        'exhausted',
      ]);
      expect(await runRow(overdue.id)).toEqual({ state: 'exhausted', step: 0, overdue: true, due: false });
      expect(await wakeUps(overdue.id)).toEqual([]);
      // Raising the case restarts the run; the overdue mark it earned stays.
      const slow = await createPolicy(api, admin, {
        steps: [
          { type: 'notify', targets: [{ type: 'staff', staffId: tier1.staffId }] },
          { type: 'wait', seconds: 600 },
          { type: 'mark_overdue' },
        ],
      });
      await raiseCase(db, overdueCase, 'critical', slow);
      await waitFor(async () => (await runOf(db, overdueCase))?.severity === 'critical', { what: 'restart' });
      expect(await runRow(overdue.id)).toMatchObject({ state: 'active', overdue: true, due: true });
    } finally {
      await pg.close();
    }
  });

  it('reaches each person through the first method in their own order, and at their own local time', async () => {
    const night = await ensureTeam(db, 'Night desk');
    const awake = await signedInStaff(api, db, { role: 'caseworker', teams: ['Night desk'] });
    const asleep = await signedInStaff(api, db, { role: 'caseworker', teams: ['Night desk'] });
    const email = await addContact(api, awake, 'email', { address: mail(awake) });
    const hook = await addContact(api, awake, 'webhook', { url: hooks.url('/night') });
    hooks.secrets.set('/night', hook.webhookSecret as string);
    expect(
      (await call(api, awake, 'PUT', '/me/contact-methods/order', { ids: [hook.id, email.id] })).status,
    ).toBe(200);
    await addContact(api, asleep, 'email', { address: mail(asleep) });
    // A two-hour window around now in UTC: UTC is inside it, India (UTC+5:30) is not.
    const hour = new Date().getUTCHours();
    const hhmm = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;
    expect((await call(api, awake, 'PUT', '/me/notification-settings', { timeZone: 'UTC' })).status).toBe(
      204,
    );
    expect(
      (await call(api, asleep, 'PUT', '/me/notification-settings', { timeZone: 'Asia/Kolkata' })).status,
    ).toBe(204);
    const policyId = await createPolicy(api, admin, {
      steps: [
        {
          type: 'notify_if',
          condition: { type: 'local_time_between', from: hhmm(hour), to: hhmm(hour + 2) },
          targets: [{ type: 'team', teamId: night }],
        },
      ],
    });
    const run = await runFor(await openCase(db, { severity: 'high', teamId: night, policyId }), 'exhausted');
    expect((await notificationsOf(db, run.id)).map((n) => [n.recipient_id, n.channel])).toEqual([
      [awake.staffId, 'webhook'],
    ]);
  });

  it('keeps a running escalation on the policy version it started with', async () => {
    const policyId = await createPolicy(api, admin, threeTiers(3));
    const caseId = await openCase(db, { severity: 'high', teamId, policyId });
    const run = await runFor(caseId);
    const edited = {
      steps: [
        { type: 'notify', targets: [{ type: 'staff', staffId: tier1.staffId }] },
        { type: 'wait', seconds: 3 },
        { type: 'notify', targets: [{ type: 'supervisors', teamId }] },
      ],
    };
    const put = await call<{ version: number }>(api, admin, 'PUT', `/admin/escalation-policies/${policyId}`, {
      definition: edited,
    });
    expect([put.status, put.body.version]).toEqual([200, 2]);
    const n = await waitFor(
      async () => {
        const rows = await notificationsOf(db, run.id);
        return rows.length >= 2 ? rows : null;
      },
      { what: 'tier 2' },
    );
    expect(n[1].recipient_id).toBe(tier2.staffId); // version 1's tier 2, not version 2's supervisors
    expect((await runOf(db, caseId))?.policy_version).toBe(1);
  });

  it('restarts with the new severity’s policy when a case is raised', async () => {
    const low = await createPolicy(api, admin, {
      steps: [
        { type: 'notify', targets: [{ type: 'staff', staffId: tier1.staffId }] },
        { type: 'wait', seconds: 60 },
        { type: 'mark_overdue' },
      ],
    });
    const critical = await createPolicy(api, admin, {
      steps: [{ type: 'notify', targets: [{ type: 'supervisors', teamId }] }],
    });
    const caseId = await openCase(db, { severity: 'low', teamId, policyId: low });
    const run = await runFor(caseId);
    await raiseCase(db, caseId, 'critical', critical);
    await waitFor(async () => (await runOf(db, caseId))?.severity === 'critical', { what: 'restart' });
    const n = await waitFor(
      async () => {
        const rows = await notificationsOf(db, run.id);
        return rows.length >= 2 ? rows : null;
      },
      { what: 'supervisor notified' },
    );
    expect(n.map((x) => [x.recipient_id, x.round])).toEqual([
      [tier1.staffId, 0],
      [supervisor.staffId, 1],
    ]);
  });

  it('notifies whoever the team’s weekly rotation (or an override) puts on call', async () => {
    const bad = await call<{ fields: { path: string }[] }>(
      api,
      supervisor,
      'PUT',
      `/admin/teams/${teamId}/on-call`,
      {
        timeZone: 'Mars/Olympus',
        handoffTime: '09:00',
        rotationStart: '2025-01-06',
        members: [admin.staffId],
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f) => f.path)).toEqual(['timeZone']);
    const set = await call(api, supervisor, 'PUT', `/admin/teams/${teamId}/on-call`, {
      timeZone: 'Europe/Berlin',
      handoffTime: '09:00',
      rotationStart: '2025-01-06',
      members: [tier1.staffId, tier2.staffId],
    });
    expect(set.status).toBe(200);
    const who = await call<{ staffId: string }>(
      api,
      supervisor,
      'GET',
      `/admin/teams/${teamId}/on-call?at=2025-01-13T08:00:00Z`,
    );
    expect(who.body.staffId).toBe(tier2.staffId); // second week, from 09:00 Berlin time
    const now = new Date();
    await call(api, supervisor, 'POST', `/admin/teams/${teamId}/on-call/overrides`, {
      staffId: tier2.staffId,
      startsAt: new Date(now.getTime() - 60_000).toISOString(),
      endsAt: new Date(now.getTime() + 3_600_000).toISOString(),
    });
    const policyId = await createPolicy(api, admin, {
      steps: [{ type: 'notify', targets: [{ type: 'on_call', teamId }] }],
    });
    const run = await runFor(await openCase(db, { severity: 'critical', teamId, policyId }));
    const rows = await waitFor(
      async () => {
        const n = await notificationsOf(db, run.id);
        return n.length > 0 ? n : null;
      },
      { what: 'on-call notified' },
    );
    expect(rows.map((n) => n.recipient_id)).toEqual([tier2.staffId]);
  });

  it('fails the worker’s readiness while the sweeper is not running, and recovers when it runs again', async () => {
    const sweepQueue = new Queue(QueueName.EscalationSweep, {
      connection: { host: '127.0.0.1', port: 6379 },
      prefix: config.redis.prefix,
    });
    const redis = new Redis(6379, '127.0.0.1');
    try {
      await waitFor(async () => (await fetch(`${worker.url}/health/ready`)).status === 200, {
        what: 'ready',
      });
      await sweepQueue.pause();
      // A sweep already running when the queue paused still finishes and writes its heartbeat.
      await waitFor(async () => (await sweepQueue.getActiveCount()) === 0, { what: 'no sweep in flight' });
      await redis.del(`${config.redis.prefix}:escalation:last-sweep`);
      const res = await fetch(`${worker.url}/health/ready`);
      expect(res.status).toBe(503);
      expect(JSON.stringify(await res.json())).toContain('escalationSweeper');
      await sweepQueue.resume();
      await waitFor(async () => (await fetch(`${worker.url}/health/ready`)).status === 200, {
        what: 'ready again',
      });
    } finally {
      await sweepQueue.close();
      redis.disconnect();
    }
  });

  it('rejects invalid policies with the path of each problem', async () => {
    const res = await call<{ fields: { path: string }[] }>(api, admin, 'POST', '/admin/escalation-policies', {
      name: 'broken',
      definition: {
        steps: [
          { type: 'notify', targets: [{ type: 'staff', staffId: '00000000-0000-4000-8000-000000000000' }] },
          { type: 'repeat', fromStep: 0, times: 3 },
          { type: 'mark_overdue' },
          { type: 'notify', targets: [{ type: 'team', teamId }] },
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f) => f.path).sort()).toEqual([
      'definition.steps[0].targets[0].staffId',
      'definition.steps[1]',
      'definition.steps[3]',
    ]);
  });
});
