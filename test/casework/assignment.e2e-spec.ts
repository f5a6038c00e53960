import { createGrant, fromB64u, fromUtf8, openEnvelopeWithGrants, toB64u, type Grant } from '@panah/crypto';
import type { RunningApp } from '../support/apps';
import {
  caseWithReport,
  keyedStaff,
  send,
  startCasework,
  teamAlertPolicy,
  type CaseworkStack,
  type KeyedStaff,
} from '../support/casework';
import { rowsOf, type TestDatabase } from '../support/database';
import { addContact } from '../support/escalation';
import type { IntakeKeys } from '../support/intake';
import type { TestSmtpServer } from '../support/smtp';
import { ensureTeam, signedInStaff, type TestStaff } from '../support/staff';
import { waitFor } from '../support/wait';

const DEPLOYMENT = 'assignment-test';

/**
 * Issue 15, point 5: assignment and hand-over with grants (crypto-v1 §10), audited, on the
 * timeline, telling the new assignee; grants only from staff with access, for staff allowed
 * access, with a signature that verifies. Real API, worker, PostgreSQL, Redis and SMTP.
 */
describe('assignment, hand-over and grants', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let stack: CaseworkStack;
  let smtp: TestSmtpServer;
  let keys: IntakeKeys;
  let teamA: string;
  let teamB: string;
  let policyId: string;
  let supA: KeyedStaff;
  let cwA: KeyedStaff;
  let cwA2: KeyedStaff;
  let cwB: KeyedStaff;
  let admin: TestStaff;
  const q = <T>(text: string, params: unknown[] = []): Promise<T[]> => rowsOf<T>(db.url, text, params);
  const boxOf = (s: KeyedStaff): Uint8Array => s.keys.boxKeyPair.publicKey;

  beforeAll(async () => {
    stack = await startCasework(DEPLOYMENT, { env: { ESCALATION_SWEEP_EVERY_MS: '500' } });
    ({ db, api, keys } = stack);
    smtp = stack.smtp!;
    teamA = await ensureTeam(db, 'desk A');
    teamB = await ensureTeam(db, 'desk B');
    // The supervisor holds the intake key the reports are sealed to: they can open and re-grant them.
    supA = await keyedStaff(api, db, { role: 'supervisor', teams: ['desk A'] }, keys.staff[1]);
    cwA = await keyedStaff(api, db, { role: 'caseworker', teams: ['desk A'] });
    cwA2 = await keyedStaff(api, db, { role: 'caseworker', teams: ['desk A'] });
    cwB = await keyedStaff(api, db, { role: 'caseworker', teams: ['desk B'] });
    admin = await signedInStaff(api, db, { role: 'admin' });
    await addContact(api, cwA2, 'email', { address: `${cwA2.login}@staff.example` });
    policyId = await teamAlertPolicy(api, admin, teamA);
  });

  afterAll(async () => {
    await stack?.close();
  });

  const newCase = () =>
    caseWithReport(api, db, {
      teamId: teamA,
      intake: [keys.staff[0].publicKey, keys.staff[1].publicKey],
      plaintext: '{"schema":"report/1","narrative":"a car outside"}',
    });
  const grantFor = (envelope: unknown, to: KeyedStaff, by: KeyedStaff = supA): Grant =>
    createGrant({
      envelope,
      opener: by.keys.boxKeyPair,
      recipientPublicKey: boxOf(to),
      granterSignSecretKey: by.keys.signKeyPair.privateKey,
    });

  it('a supervisor assigns with a grant: the assignee opens the report through it, is told, and it is audited and on the timeline', async () => {
    const { caseId, envelope } = await newCase();
    const res = await send(api, supA.headers, 'POST', `/cases/${caseId}/assign`, {
      assigneeId: cwA2.staffId,
      grants: [grantFor(envelope, cwA2)],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: caseId, assigneeId: cwA2.staffId, teamId: teamA });
    const view = await send(api, cwA2.headers, 'GET', `/cases/${caseId}`);
    const detail = view.body as {
      grants: Grant[];
      timeline: { type: string; assigneeId?: string; byStaffId?: string }[];
    };
    expect(detail.grants).toHaveLength(1);
    expect(detail.timeline.find((e) => e.type === 'assignment')).toMatchObject({
      assigneeId: cwA2.staffId,
      byStaffId: supA.staffId,
    });
    // Trust the granter through the server's staff key list (the console compares kids).
    const granter = await send(api, cwA2.headers, 'GET', `/keys/staff/${detail.grants[0].by}`);
    const lookup = (k: string): Uint8Array | undefined =>
      k === detail.grants[0].by ? fromB64u(granter.body.signPk as string) : undefined;
    expect(
      JSON.parse(fromUtf8(openEnvelopeWithGrants(envelope, cwA2.keys.boxKeyPair, detail.grants, lookup))),
    ).toMatchObject({ narrative: 'a car outside' });
    await waitFor(
      () =>
        smtp
          .to(`${cwA2.login}@staff.example`.toLowerCase())
          .find((m) => m.text.includes('update on high case')),
      { what: 'the assignment update email' },
    );
    expect(
      await q(`SELECT details FROM audit_log WHERE action = 'case.assigned' AND target_id = $1`, [caseId]),
    ).toEqual([{ details: { assigneeId: cwA2.staffId } }]);
  });

  it('a caseworker assigns only themselves, and only after acknowledging the escalation', async () => {
    const { caseId } = await caseWithReport(api, db, {
      teamId: teamA,
      policyId,
      intake: [keys.staff[1].publicKey],
    });
    const refusedOther = await send(api, cwA.headers, 'POST', `/cases/${caseId}/assign`, {
      assigneeId: cwA2.staffId,
    });
    expect([refusedOther.status, refusedOther.body.reason]).toEqual([403, 'case/assign_forbidden']);
    expect(
      (await send(api, cwA.headers, 'POST', `/cases/${caseId}/assign`, { assigneeId: cwA.staffId })).status,
    ).toBe(403);
    const run = await waitFor(
      () =>
        q<{ id: string }>(`SELECT id FROM escalation_runs WHERE case_id = $1`, [caseId]).then((r) => r[0]),
      { what: 'the escalation run' },
    );
    expect((await send(api, cwA.headers, 'POST', `/escalations/${run.id}/acknowledge`)).status).toBe(200);
    const mine = await send(api, cwA.headers, 'POST', `/cases/${caseId}/assign`, { assigneeId: cwA.staffId });
    expect([mine.status, mine.body.assigneeId]).toEqual([200, cwA.staffId]);
  });

  it('a supervisor hands the case to another team with grants; bad grants change nothing', async () => {
    const { caseId, envelope } = await newCase();
    const forged = { ...grantFor(envelope, cwB), sig: toB64u(new Uint8Array(64)) };
    const bad = await send(api, supA.headers, 'POST', `/cases/${caseId}/handover`, {
      teamId: teamB,
      assigneeId: cwB.staffId,
      grants: [forged],
    });
    expect([bad.status, bad.body.reason]).toEqual([400, 'grant/bad_signature']);
    const stranger = await send(api, supA.headers, 'POST', `/cases/${caseId}/handover`, {
      teamId: teamB,
      assigneeId: cwB.staffId,
      grants: [grantFor(envelope, cwA)],
    });
    expect([stranger.status, stranger.body.reason]).toEqual([400, 'grant/not_allowed']); // cwA cannot read it once it is desk B's
    const wrongAssignee = await send(api, supA.headers, 'POST', `/cases/${caseId}/handover`, {
      teamId: teamB,
      assigneeId: cwA.staffId,
    });
    expect([wrongAssignee.status, wrongAssignee.body.reason]).toEqual([400, 'case/bad_assignee']);
    expect(await q(`SELECT team_id, assignee_id FROM cases WHERE id = $1`, [caseId])).toEqual([
      { team_id: teamA, assignee_id: null },
    ]);
    expect(await q(`SELECT kid FROM case_grants WHERE case_id = $1`, [caseId])).toEqual([]);

    const ok = await send(api, supA.headers, 'POST', `/cases/${caseId}/handover`, {
      teamId: teamB,
      assigneeId: cwB.staffId,
      grants: [grantFor(envelope, cwB)],
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ teamId: teamB, assigneeId: cwB.staffId });
    expect((await send(api, supA.headers, 'GET', `/cases/${caseId}`)).status).toBe(404);
    const asB = await send(api, cwB.headers, 'GET', `/cases/${caseId}`);
    expect((asB.body.timeline as { type: string }[]).find((e) => e.type === 'handover')).toMatchObject({
      fromTeamId: teamA,
      teamId: teamB,
      assigneeId: cwB.staffId,
      byStaffId: supA.staffId,
    });
    expect((asB.body.grants as Grant[]).map((g) => g.envelopeId)).toEqual([envelope.id]);
    expect(
      await q(`SELECT action FROM audit_log WHERE action = 'case.handed_over' AND target_id = $1`, [caseId]),
    ).toHaveLength(1);
  });

  it('refuses assign, hand-over and grants to another team’s caseworker (404), an admin and a reporter (403), writing nothing', async () => {
    const { caseId, envelope, reporter } = await newCase();
    const g = grantFor(envelope, cwA);
    for (const [who, status] of [
      [cwB.headers, 404],
      [admin.headers, 403],
      [reporter.auth, 403],
    ] as const) {
      expect(
        (await send(api, who, 'POST', `/cases/${caseId}/assign`, { assigneeId: cwA.staffId })).status,
      ).toBe(status);
      expect((await send(api, who, 'POST', `/cases/${caseId}/handover`, { teamId: teamB })).status).toBe(
        status,
      );
      expect((await send(api, who, 'PUT', `/cases/${caseId}/grants`, { grants: [g] })).status).toBe(status);
    }
    // A caseworker of the team may not hand over.
    expect(
      (await send(api, cwA.headers, 'POST', `/cases/${caseId}/handover`, { teamId: teamB })).status,
    ).toBe(403);
    expect(await q(`SELECT team_id, assignee_id FROM cases WHERE id = $1`, [caseId])).toEqual([
      { team_id: teamA, assignee_id: null },
    ]);
    expect(await q(`SELECT kid FROM case_grants WHERE case_id = $1`, [caseId])).toEqual([]);
    expect(await q(`SELECT kind FROM case_events WHERE case_id = $1`, [caseId])).toEqual([]);
    // The supervisor's own grant for a colleague of the team is accepted.
    expect((await send(api, supA.headers, 'PUT', `/cases/${caseId}/grants`, { grants: [g] })).body).toEqual({
      stored: 1,
    });
  });
});
