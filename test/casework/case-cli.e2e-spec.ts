import { cryptoReady } from '@panah/crypto';
import { startApi, startWorker, type RunningApp } from '../support/apps';
import { caseWithReport, keyedStaff, type KeyedStaff } from '../support/casework';
import { panah } from '../support/cli';
import { testConfig } from '../support/config';
import { createTestDatabase, rowsOf, type TestDatabase } from '../support/database';
import { createPolicy } from '../support/escalation';
import { intakeKeys, publishDirectory, signedDirectory, type IntakeKeys } from '../support/intake';
import { ensureTeam, signedInStaff } from '../support/staff';
import { waitFor } from '../support/wait';

/** Issue 15, point 8 (first part): `panah case list|ack|assign|resolve` against the real API and worker. */
describe('panah case (caseworker CLI)', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let worker: RunningApp;
  let keys: IntakeKeys;
  let cw: KeyedStaff;
  let teamId: string;
  let policyId: string;

  beforeAll(async () => {
    await cryptoReady();
    db = await createTestDatabase();
    keys = await intakeKeys(2);
    const config = testConfig(db.url, {
      ...keys.env,
      DEPLOYMENT_ID: 'cli-test',
      ESCALATION_SWEEP_EVERY_MS: '500',
    });
    api = await startApi(config);
    worker = await startWorker(config);
    await publishDirectory(api, signedDirectory(keys, 'cli-test'));
    teamId = await ensureTeam(db, 'cli desk');
    cw = await keyedStaff(api, db, { role: 'caseworker', teams: ['cli desk'] });
    const admin = await signedInStaff(api, db, { role: 'admin' });
    policyId = await createPolicy(api, admin, {
      steps: [
        { type: 'notify', targets: [{ type: 'team', teamId }] },
        { type: 'wait', seconds: 600 },
      ],
    });
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await db?.drop();
  });

  it('lists the caseworker’s cases, acknowledges, assigns to themselves and resolves', async () => {
    const { caseId } = await caseWithReport(api, db, { teamId, policyId, intake: [keys.staff[1].publicKey] });
    const env = {
      PANAH_API_URL: api.url,
      PANAH_SESSION_TOKEN: cw.token,
      PANAH_SESSION_FILE: '/nonexistent/session.json',
    };
    const list = await panah(['case', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.out.join('\n')).toContain(caseId);
    await waitFor(
      () =>
        rowsOf(db.url, `SELECT id FROM escalation_runs WHERE case_id = $1`, [caseId]).then(
          (r) => r.length > 0,
        ),
      { what: 'the escalation run' },
    );
    const ack = await panah(['case', 'ack', caseId], env);
    expect([ack.code, ack.out]).toEqual([0, [`case ${caseId}: escalation acknowledged`]]);
    const assign = await panah(['case', 'assign', caseId, '--to', 'me'], env);
    expect(assign.code).toBe(0);
    expect(assign.out[0]).toContain(`assigned ${cw.staffId}`);
    const resolved = await panah(['case', 'resolve', caseId], env);
    expect([resolved.code, resolved.out]).toEqual([0, [`case ${caseId}: escalation resolved`]]);
    expect(await rowsOf(db.url, `SELECT state, assignee_id FROM cases WHERE id = $1`, [caseId])).toEqual([
      { state: 'resolved', assignee_id: cw.staffId },
    ]);
    const refused = await panah(['case', 'list'], { ...env, PANAH_SESSION_TOKEN: undefined });
    expect(refused.code).not.toBe(0);
  });
});
