import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { CryptoError, cryptoReady } from '@panah/crypto';
import { EscalationHistory } from '@panah/escalation';
import { NOTIFICATION_TEXT_LENGTH, shortRefFromId, type TriageHints } from '@panah/domain';
import { JobName, jobOptions, QueueName, reportSubmittedJobId } from '@panah/queue';
import { TriageService } from '@panah/triage';
import { RunningApp, startApi, startWorker } from '../support/apps';
import { testConfig } from '../support/config';
import { createTestDatabase, sql, TestDatabase } from '../support/database';
import { addContact } from '../support/escalation';
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
import { TestSmtpServer } from '../support/smtp';
import { ensureTeam, signedInStaff, TestStaff } from '../support/staff';
import { waitFor } from '../support/wait';

interface CaseRow {
  id: string;
  severity: string;
  team_id: string | null;
  reasons: string[];
  version: number;
  state: string;
}

describe('triage, end to end through the outbox and BullMQ', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let worker: RunningApp;
  let keys: IntakeKeys;
  let admin: TestStaff;
  let admin2: TestStaff;
  let smtp: TestSmtpServer;
  let queue: Queue;
  const PUBLIC_URL = 'https://panah.example';
  const inbox = (who: TestStaff): string => `${who.login}@staff.example`.toLowerCase();
  const teams: Record<string, string> = {};

  const submit = async (reporter: TestReporter, hints?: TriageHints | null): Promise<string> => {
    const envelope = sealReport(reporter, [keys.staff[0].publicKey], '{"schema":"report/v1"}');
    const res = await putReport(api.url, reporter, envelope, hints);
    expect(res.status).toBe(201);
    return envelope.id;
  };
  const caseOf = async (reportId: string, timeoutMs = 20_000): Promise<CaseRow> =>
    waitFor(
      async () => {
        const pg = await sql(db.url);
        try {
          const { rows } = await pg.query(
            `SELECT c.id, c.severity, c.team_id, c.reasons, c.version, c.state FROM reports r JOIN cases c ON c.id = r.case_id WHERE r.id = $1 AND r.status = 'triaged'`,
            [reportId],
          );
          return (rows[0] as CaseRow | undefined) ?? null;
        } finally {
          await pg.close();
        }
      },
      { timeoutMs, what: `case for report ${reportId}` },
    );

  // nestjs-pino keeps one process-wide root logger, so with the API and the worker in one test
  // process a line may land in either capture: search both.
  const logLines = (...needles: string[]): string[] => [
    ...api.logs.containing(...needles),
    ...worker.logs.containing(...needles),
  ];

  beforeAll(async () => {
    await cryptoReady();
    db = await createTestDatabase();
    keys = await intakeKeys(1);
    smtp = await TestSmtpServer.start();
    const config = testConfig(db.url, {
      ...keys.env,
      TRIAGE_RECONCILE_AFTER_SECONDS: '2',
      TRIAGE_RECONCILE_EVERY_MS: '500',
      SMTP_URL: smtp.url,
      PUBLIC_URL,
    });
    api = await startApi(config);
    worker = await startWorker(config);
    await publishDirectory(api, signedDirectory(keys, 'test-deployment'));
    teams.germany = await ensureTeam(db, 'Germany', ['DE', 'AT'], ['de']);
    teams.dari = await ensureTeam(db, 'Dari desk', [], ['prs', 'fa']);
    teams.intake = await ensureTeam(db, 'Intake', [], []);
    teams.berlin = await ensureTeam(db, 'Berlin rapid response', [], []);
    admin = await signedInStaff(api, db, { role: 'admin' });
    admin2 = await signedInStaff(api, db, { role: 'admin' });
    for (const a of [admin, admin2]) await addContact(api, a, 'email', { address: inbox(a) });
    queue = new Queue(QueueName.Triage, {
      connection: { host: '127.0.0.1', port: 6379 },
      prefix: config.redis.prefix,
    });
    const ruleSet = {
      rules: [
        {
          name: 'kill list in Germany',
          when: { category: ['kill_list'], country: ['DE'] },
          then: { severity: 'critical', route: { kind: 'team', teamId: teams.berlin }, deadlineMinutes: 10 },
        },
        {
          name: 'imminent',
          when: { imminence: ['now'] },
          then: { severity: 'critical', route: { kind: 'by_region' }, deadlineMinutes: 15 },
        },
        {
          name: 'named by intelligence',
          when: { namedOnList: true, perpetrator: ['regime_intelligence'] },
          then: { severity: 'high', route: { kind: 'by_region' }, deadlineMinutes: 60 },
        },
      ],
      default: { severity: 'low', route: { kind: 'by_region' }, deadlineMinutes: 1440 },
      defaultTeamId: teams.intake,
    };
    const res = await fetch(`${api.url}/v1/triage-rules`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...admin.headers },
      body: JSON.stringify({ ruleSet, activate: true }),
    });
    expect(res.status).toBe(201);
  });
  afterAll(async () => {
    await queue?.close();
    await worker?.close();
    await api?.close();
    await smtp?.close();
    await db?.drop();
  });

  it.each<[string, TriageHints | null, string, string]>([
    ['no hints at all', null, 'high', 'intake'],
    ['a kill list in Germany', { category: 'kill_list', country: 'DE' }, 'critical', 'berlin'],
    [
      'an imminent threat to a Dari speaker',
      { imminence: 'now', language: 'prs', country: 'SE' },
      'critical',
      'dari',
    ],
    ['online harassment in Sweden', { category: 'online_harassment', country: 'SE' }, 'low', 'intake'],
    [
      'being named by regime intelligence, in Austria',
      { category: 'surveillance', country: 'AT', namedOnList: true, perpetrator: 'regime_intelligence' },
      'high',
      'germany',
    ],
    ['a kill list outside Germany', { category: 'kill_list', country: 'FR', language: 'fa' }, 'low', 'dari'],
  ])('opens a case for %s with the expected severity and team', async (_what, hints, severity, team) => {
    const reporter = await signedInReporter(api.url);
    const c = await caseOf(await submit(reporter, hints));
    expect({ severity: c.severity, team: c.team_id }).toEqual({ severity, team: teams[team] });
    expect(c.reasons).toEqual(['report']);
  });

  it('links a second report from the same reporter to the open case and raises it one level', async () => {
    const reporter = await signedInReporter(api.url);
    const first = await caseOf(await submit(reporter, { category: 'surveillance', country: 'SE' }));
    expect(first.severity).toBe('low');
    const second = await caseOf(await submit(reporter, { category: 'surveillance', country: 'SE' }));
    expect(second.id).toBe(first.id);
    expect(second.severity).toBe('medium');
    expect(second.reasons).toEqual(['report', 'repeat_report']);
    expect(second.version).toBe(2);
  });

  it('yields one case when the same triage job is delivered twice', async () => {
    const reporter = await signedInReporter(api.url);
    const reportId = await submit(reporter, { category: 'direct_threat', country: 'DE' });
    const c = await caseOf(reportId);
    const again = await queue.add(
      JobName.ReportSubmitted,
      { reportId },
      { ...jobOptions[JobName.ReportSubmitted], jobId: `${reportSubmittedJobId(reportId)}-again` },
    );
    await waitFor(async () => (await again.getState()) === 'completed', {
      what: 'second delivery processed',
    });
    const pg = await sql(db.url);
    const { rows } = await pg.query(
      `SELECT count(*)::int AS n, max(version) AS version FROM cases WHERE reporter_id = $1`,
      [reporter.reporterId],
    );
    await pg.close();
    expect(rows[0]).toEqual({ n: 1, version: c.version });
  });

  it("triages a batch in one transaction exactly as one by one: a reporter's two reports make one raised case, an unreadable report fails alone", async () => {
    await queue.pause();
    const repeater = await signedInReporter(api.url);
    const first = await submit(repeater, { category: 'surveillance', country: 'SE' });
    const second = await submit(repeater, { category: 'surveillance', country: 'SE' });
    const killList = await submit(await signedInReporter(api.url), { category: 'kill_list', country: 'DE' });
    const poison = await submit(await signedInReporter(api.url), { category: 'other' });
    // A reporter whose case is already open when two more reports arrive.
    const raiser = await signedInReporter(api.url);
    const triage = worker.app.get(TriageService);
    const opening = await submit(raiser, { category: 'online_harassment', country: 'SE' });
    expect((await triage.triageReports([opening])).get(opening)).toMatchObject({ outcome: 'opened' });
    const laterReports = [
      await submit(raiser, { category: 'online_harassment', country: 'SE' }),
      await submit(raiser, { category: 'online_harassment', country: 'SE' }),
    ];
    const pg = await sql(db.url);
    await pg.query(`UPDATE reports SET hints = $2 WHERE id = $1`, [
      poison,
      `v1.retired.${'A'.repeat(32)}.${'B'.repeat(40)}`,
    ]);
    const nobody = randomUUID();
    // Out of arrival order on purpose: the batch still folds each reporter's reports in turn.
    const results = await triage.triageReports([
      second,
      poison,
      laterReports[1],
      killList,
      first,
      nobody,
      laterReports[0],
    ]);
    const { rows } = await pg.query(`SELECT status FROM reports WHERE id = $1`, [poison]);
    await pg.close();
    await queue.resume();

    expect(results.get(first)).toMatchObject({ outcome: 'opened' });
    expect(results.get(second)).toEqual({
      outcome: 'linked',
      caseId: (results.get(first) as { caseId: string }).caseId,
    });
    expect(results.get(killList)).toMatchObject({ outcome: 'opened' });
    expect(results.get(poison)).toBeInstanceOf(CryptoError);
    expect(results.get(nobody)).toEqual({ outcome: 'missing', caseId: '' });
    expect(laterReports.map((id) => results.get(id))).toEqual(
      laterReports.map(() => ({
        outcome: 'linked',
        caseId: (results.get(laterReports[0]) as { caseId: string }).caseId,
      })),
    );
    expect(rows[0]).toEqual({ status: 'received' }); // left for its retries and the triage_failed path
    const repeated = await caseOf(second);
    expect(repeated).toMatchObject({
      id: (await caseOf(first)).id,
      severity: 'medium',
      reasons: ['report', 'repeat_report'],
      version: 2,
    });
    expect(await caseOf(killList)).toMatchObject({ severity: 'critical', team_id: teams.berlin });
    // One case.opened per case, none for the report that raised it: the engine reads the case as it stands.
    const pg2 = await sql(db.url);
    const events = await pg2.query(
      `SELECT job_name FROM outbox WHERE payload->>'caseId' = $1 AND job_name LIKE 'case.%'`,
      [repeated.id],
    );
    await pg2.close();
    expect(events.rows).toEqual([{ job_name: JobName.CaseOpened }]);
    // An open case raised twice in one batch: one row write and one case.updated, at the version two raises give.
    const raised = await caseOf(laterReports[1]);
    expect(raised).toMatchObject({ id: (await caseOf(opening)).id, severity: 'high', version: 3 });
    const pg3 = await sql(db.url);
    const raisedEvents = await pg3.query(
      `SELECT job_name, payload->>'version' AS version FROM outbox WHERE payload->>'caseId' = $1 AND job_name LIKE 'case.%' ORDER BY id`,
      [raised.id],
    );
    await pg3.close();
    expect(raisedEvents.rows).toEqual([
      { job_name: JobName.CaseOpened, version: null },
      { job_name: JobName.CaseUpdated, version: '3' },
    ]);
  });

  it('triages a report whose job was deleted from Redis, through the reconciler', async () => {
    await queue.pause();
    const reporter = await signedInReporter(api.url);
    const reportId = await submit(reporter, { category: 'family_threatened', country: 'AT' });
    const job = await waitFor(() => queue.getJob(reportSubmittedJobId(reportId)), { what: 'job relayed' });
    await job.remove();
    await queue.resume();
    const c = await caseOf(reportId, 30_000);
    expect({ severity: c.severity, team: c.team_id }).toEqual({ severity: 'low', team: teams.germany });
    expect(logLines('reconciler re-enqueued').length).toBeGreaterThan(0);
  });

  it('turns a poison report into a critical triage_failed case on the default team, emails every admin, while others keep flowing', async () => {
    await queue.pause();
    const victim = await signedInReporter(api.url);
    const poisonId = await submit(victim, {
      category: 'other',
      perpetrator: 'regime_intelligence',
      namedOnList: true,
    });
    const pg = await sql(db.url);
    // Hints under a data key the worker does not hold: they can never be decrypted.
    await pg.query(`UPDATE reports SET hints = $2 WHERE id = $1`, [
      poisonId,
      `v1.retired.${'A'.repeat(32)}.${'B'.repeat(40)}`,
    ]);
    await pg.close();
    await queue.resume();
    const other = await signedInReporter(api.url);
    const healthyId = await submit(other, { category: 'kill_list', country: 'DE' });
    const failed = await caseOf(poisonId, 30_000);
    expect(failed).toMatchObject({ severity: 'critical', team_id: teams.intake, reasons: ['triage_failed'] });
    expect(await caseOf(healthyId)).toMatchObject({ severity: 'critical', team_id: teams.berlin });
    expect(logLines('triage_failed').length).toBeGreaterThan(0);
    expect(logLines('kill_list', 'family_threatened')).toEqual([]);
    // Every active admin is told, with the fixed G5 update sentence and nothing else.
    const sentence = `Panah: update on critical case ${shortRefFromId(failed.id)} — ${PUBLIC_URL}/case#${failed.id}`;
    for (const a of [admin, admin2]) {
      const mail = await waitFor(() => smtp.to(inbox(a)).find((m) => m.text.includes(sentence)), {
        what: `the triage_failed email to ${a.login}`,
      });
      const line = mail.text.split(/\r?\n/).find((l) => l.startsWith('Panah: update on'));
      expect(line).toHaveLength(NOTIFICATION_TEXT_LENGTH);
      expect(line?.trimEnd()).toBe(sentence);
      for (const canary of ['regime_intelligence', 'namedOnList', victim.reporterId, poisonId])
        expect(mail.text).not.toContain(canary);
      expect(mail.text).not.toMatch(/triage|fail|hint/i);
    }
    const pg2 = await sql(db.url);
    const { rows } = await pg2.query(
      `SELECT recipient_id, event_key FROM escalation_notifications WHERE case_id = $1 AND kind = 'case_update'`,
      [failed.id],
    );
    await pg2.close();
    expect(rows.map((r) => (r as { recipient_id: string }).recipient_id).sort()).toEqual(
      [admin.staffId, admin2.staffId].sort(),
    );
    expect(rows.every((r) => (r as { event_key: string }).event_key === `triage_failed:${poisonId}`)).toBe(
      true,
    );
    // Supervisors see them in the run's history, though they were recorded before the run existed.
    const runId = await waitFor(
      async () => {
        const c = await sql(db.url);
        const r = await c.query(`SELECT id FROM escalation_runs WHERE case_id = $1`, [failed.id]);
        await c.close();
        return (r.rows[0] as { id: string } | undefined)?.id;
      },
      { what: 'the escalation run of the triage_failed case' },
    );
    const seen = (await api.app.get(EscalationHistory).notifications(runId)) as {
      kind: string;
      recipientId: string;
    }[];
    expect(
      seen
        .filter((n) => n.kind === 'case_update')
        .map((n) => n.recipientId)
        .sort(),
    ).toEqual([admin.staffId, admin2.staffId].sort());
  });

  it('refuses invalid rule sets with 400s naming the bad field, and non-admins with 403', async () => {
    const base = {
      rules: [],
      default: { severity: 'low', route: { kind: 'by_region' }, deadlineMinutes: 60 },
      defaultTeamId: teams.intake,
    };
    const cases: [unknown, string, string][] = [
      [
        { ...base, rules: [{ when: { colour: ['red'] }, then: base.default }] },
        'ruleSet.rules[0].when.colour',
        'triage/invalid_rule_set',
      ],
      [{ rules: [], defaultTeamId: teams.intake }, 'ruleSet.default', 'triage/missing_default'],
      [
        {
          ...base,
          rules: [{ when: { noHints: true, country: ['DE'] }, then: { ...base.default, severity: 'high' } }],
        },
        'ruleSet.rules[0].when.country',
        'triage/impossible_condition',
      ],
      [
        {
          ...base,
          rules: [
            { when: {}, then: base.default },
            { when: { imminence: ['now'] }, then: base.default },
          ],
        },
        'ruleSet.rules[1]',
        'triage/unreachable_rule',
      ],
      [
        { ...base, default: { ...base.default, route: { kind: 'team', teamId: randomUUID() } } },
        'ruleSet.default.route.teamId',
        'triage/unknown_team',
      ],
      [
        { ...base, default: { ...base.default, policyId: randomUUID() } },
        'ruleSet.default.policyId',
        'triage/unknown_policy',
      ],
      [
        { ...base, rules: [{ when: { category: ['pizza'] }, then: base.default }] },
        'ruleSet.rules[0].when.category[0]',
        'triage/invalid_rule_set',
      ],
    ];
    for (const [ruleSet, path, reason] of cases) {
      const res = await fetch(`${api.url}/v1/triage-rules`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...admin.headers },
        body: JSON.stringify({ ruleSet }),
      });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { reason: string; fields: { path: string }[] };
      expect({ reason: body.reason, paths: body.fields.map((f) => f.path) }).toEqual({
        reason,
        paths: expect.arrayContaining([path]),
      });
    }
    const supervisor = await signedInStaff(api, db, { role: 'supervisor', teams: ['Germany'] });
    expect((await fetch(`${api.url}/v1/triage-rules`, { headers: supervisor.headers })).status).toBe(403);
    const history = (await (
      await fetch(`${api.url}/v1/triage-rules`, { headers: admin.headers })
    ).json()) as { version: number; active: boolean }[];
    expect(history).toEqual([expect.objectContaining({ version: 1, active: true })]);
  });

  it('explains a dry run: which rule matched and why', async () => {
    const res = await fetch(`${api.url}/v1/triage-rules/dry-run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...admin.headers },
      body: JSON.stringify({
        hints: {
          category: 'surveillance',
          namedOnList: true,
          perpetrator: 'regime_intelligence',
          country: 'DE',
        },
      }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      ruleSetVersion: number;
      decision: { matched: number; severity: string; teamId: string; explanation: string[] };
    };
    expect(body).toMatchObject({
      ruleSetVersion: 1,
      decision: { matched: 2, severity: 'high', teamId: teams.germany },
    });
    expect(body.decision.explanation[0]).toContain('did not match: category is surveillance');
    const bad = await fetch(`${api.url}/v1/triage-rules/dry-run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...admin.headers },
      body: JSON.stringify({ hints: { country: 'XX' } }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ fields: [{ path: 'hints.country' }] });
  });

  it("lists a supervisor's team cases by deadline with keyset pages, and shows hints to the case's team only", async () => {
    const reporters = await Promise.all([0, 1, 2].map(() => signedInReporter(api.url)));
    const ids = [];
    for (const r of reporters) ids.push(await submit(r, { category: 'other', country: 'DE' }));
    const cases = await Promise.all(ids.map((id) => caseOf(id)));
    const supervisor = await signedInStaff(api, db, { role: 'supervisor', teams: ['Germany'] });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q = new URLSearchParams({ limit: '2', severity: 'low', ...(cursor ? { cursor } : {}) });
      const page = (await (
        await fetch(`${api.url}/v1/cases?${q}`, { headers: supervisor.headers })
      ).json()) as { items: { id: string; teamId: string; deadlineAt: string }[]; nextCursor: string | null };
      expect(page.items.every((c) => c.teamId === teams.germany)).toBe(true);
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expect.arrayContaining(cases.map((c) => c.id)));
    expect(new Set(seen).size).toBe(seen.length);
    const view = await fetch(`${api.url}/v1/cases/${cases[0].id}`, { headers: supervisor.headers });
    expect(view.status).toBe(200);
    const detail = (await view.json()) as { timeline: { type: string }[] };
    expect(detail.timeline.filter((t) => t.type === 'report')).toMatchObject([
      { hints: { category: 'other', country: 'DE' }, envelope: { kind: 'report' } },
    ]);
    const outsider = await signedInStaff(api, db, { role: 'caseworker', teams: ['Dari desk'] });
    expect((await fetch(`${api.url}/v1/cases/${cases[0].id}`, { headers: outsider.headers })).status).toBe(
      404,
    );
    expect((await fetch(`${api.url}/v1/cases/${cases[0].id}`, { headers: admin.headers })).status).toBe(403);
    expect((await fetch(`${api.url}/v1/cases?cursor=nope`, { headers: supervisor.headers })).status).toBe(
      400,
    );
  });
});
