import { randomUUID } from 'node:crypto';
import { sealEnvelope } from '@panah/crypto';
import { BUILT_IN_RULE_SET } from '@panah/domain';
import { startApi, startWorker, type RunningApp } from '../support/apps';
import { api, missedPlan, registerWithDuress, signedSignal, signInWith } from '../support/checkins';
import { testConfig } from '../support/config';
import { createTestDatabase, sql, type TestDatabase } from '../support/database';
import {
  fetchDirectory,
  intakeKeys,
  publishDirectory,
  putReport,
  sealReport,
  signedDirectory,
  type IntakeKeys,
} from '../support/intake';
import { ensureTeam, signedInStaff } from '../support/staff';
import { waitFor } from '../support/wait';

/**
 * Duress sessions and the reporter's "show or hide my reports" choice; caseworkers' view of the
 * check-in history (times only) for reporters of cases they can see.
 */
describe('duress sessions and check-in history', () => {
  let db: TestDatabase;
  let keys: IntakeKeys;
  let apiApp: RunningApp;
  let worker: RunningApp;
  let recipients: Uint8Array[];
  let teamId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    keys = await intakeKeys();
    const config = testConfig(db.url, {
      ...keys.env,
      CHECKIN_MIN_INTERVAL_SECONDS: '1',
      CHECKIN_SWEEP_EVERY_MS: '500',
    });
    apiApp = await startApi(config);
    worker = await startWorker(config);
    await publishDirectory(apiApp, signedDirectory(keys, config.deploymentId));
    recipients = (await fetchDirectory(apiApp.url, keys, config.deploymentId)).publicKeys;
    // Safety cases go to the rule set's default team: give it one, so caseworkers can see them.
    teamId = await ensureTeam(db, 'protection');
    const client = await sql(db.url);
    try {
      await client.query(`INSERT INTO triage_rule_sets (version, definition, active) VALUES (1, $1, true)`, [
        JSON.stringify({ ...BUILT_IN_RULE_SET, defaultTeamId: teamId }),
      ]);
    } finally {
      await client.close();
    }
  });

  afterAll(async () => {
    await worker?.close();
    await apiApp?.close();
    await db?.drop();
  });

  async function reportCount(auth: Record<string, string>): Promise<number> {
    const res = await api(apiApp.url, 'GET', '/v1/reports', auth);
    expect(res.status).toBe(200);
    return (res.json.items as unknown[]).length;
  }

  it('hides the real reports from a duress session by default, with the same 200 and shape', async () => {
    const r = await registerWithDuress(apiApp.url);
    const normal = await signInWith(apiApp.url, r.primary);
    const report = sealReport({ sign: r.primary.sign }, recipients, 'they know where I live');
    expect((await putReport(apiApp.url, normal, report)).status).toBe(201);
    const forced = await signInWith(apiApp.url, r.duress);
    expect(await reportCount(normal.auth)).toBe(1);
    expect(await reportCount(forced.auth)).toBe(0);
    const hidden = await api(apiApp.url, 'GET', `/v1/reports/${report.id}`, forced.auth);
    const missing = await api(apiApp.url, 'GET', `/v1/reports/${randomUUID()}`, normal.auth);
    expect(hidden.status).toBe(404);
    expect(hidden.json).toEqual(missing.json);
    expect((await api(apiApp.url, 'GET', '/v1/messages', forced.auth)).json).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it('shows the real reports to a duress session when the reporter chose so at registration', async () => {
    const r = await registerWithDuress(apiApp.url, { showReports: true });
    const normal = await signInWith(apiApp.url, r.primary);
    expect(
      (await putReport(apiApp.url, normal, sealReport({ sign: r.primary.sign }, recipients, 'report')))
        .status,
    ).toBe(201);
    const forced = await signInWith(apiApp.url, r.duress);
    expect(await reportCount(forced.auth)).toBe(1);
  });

  it('shows caseworkers of the case the check-in history, times and outcomes only, and nobody else', async () => {
    const r = await registerWithDuress(apiApp.url);
    const session = await signInWith(apiApp.url, r.primary);
    await missedPlan(apiApp.url, session.auth, db.url, r.reporterId);
    const caseRow = await waitFor(
      async () => {
        const client = await sql(db.url);
        try {
          return (
            await client.query<{ id: string; team_id: string }>(
              `SELECT id, team_id FROM cases WHERE reporter_id = $1`,
              [r.reporterId],
            )
          ).rows[0];
        } finally {
          await client.close();
        }
      },
      { what: 'the missed check-in case' },
    );
    expect(caseRow.team_id).toBe(teamId);
    // A late check-in carrying an encrypted note ("I am moving to…").
    const id = randomUUID();
    const envelope = sealEnvelope({
      kind: 'checkin',
      id,
      plaintext: 'moving to the safe flat',
      recipientPublicKeys: recipients,
      authorSignSecretKey: r.primary.sign.privateKey,
    });
    const late = await api(apiApp.url, 'POST', '/v1/checkins', session.auth, {
      ...signedSignal('checkin', r.primary, id),
      envelope,
    });
    expect(late.status).toBe(201);
    await api(apiApp.url, 'DELETE', '/v1/checkins/plan', session.auth);

    const caseworker = await signedInStaff(apiApp, db, { role: 'caseworker', teams: [teamId] });
    const history = await api(apiApp.url, 'GET', `/v1/cases/${caseRow.id}/checkins`, caseworker.headers);
    expect(history.json).toMatchObject({ checkins: expect.any(Array) });
    expect(history.status).toBe(200);
    const checkins = history.json.checkins as Record<string, unknown>[];
    expect(checkins).toHaveLength(1);
    expect(Object.keys(checkins[0]).sort()).toEqual(['at', 'hasNote', 'id', 'outcome']);
    expect(checkins[0]).toMatchObject({ id, outcome: 'after_alert', hasNote: true });
    expect((history.json.events as { kind: string }[]).map((e) => e.kind)).toEqual([
      'checked_in_after_alert',
      'missed_checkin',
    ]);
    expect(JSON.stringify(history.json)).not.toContain('safe flat');

    const otherTeam = await ensureTeam(db, 'elsewhere');
    const outsider = await signedInStaff(apiApp, db, { role: 'caseworker', teams: [otherTeam] });
    expect((await api(apiApp.url, 'GET', `/v1/cases/${caseRow.id}/checkins`, outsider.headers)).status).toBe(
      404,
    );
    expect((await api(apiApp.url, 'GET', `/v1/cases/${caseRow.id}/checkins`, session.auth)).status).toBe(403);
  });
});
