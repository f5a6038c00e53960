import { randomUUID } from 'node:crypto';
import { encryptAttachment, generateAttachmentKey, utf8 } from '@panah/crypto';
import type { RunningApp } from '../support/apps';
import {
  caseWithReport,
  keyedStaff,
  sealAs,
  send,
  startCasework,
  teamAlertPolicy,
  type CaseworkStack,
  type KeyedStaff,
} from '../support/casework';
import { signedSignal } from '../support/checkins';
import { rowsOf, type TestDatabase } from '../support/database';
import { addContact } from '../support/escalation';
import type { IntakeKeys } from '../support/intake';
import { ensureTeam, signedInStaff, type TestStaff } from '../support/staff';
import { waitFor } from '../support/wait';

const DEPLOYMENT = 'case-view-test';
const bytes = (b: Uint8Array): ArrayBuffer => b.slice().buffer as ArrayBuffer;

type Entry = { at: string; type: string } & Record<string, unknown>;
interface Detail {
  id: string;
  state: string;
  severity: string;
  reasons: string[];
  teamId: string;
  assigneeId: string | null;
  deadlineAt: string;
  escalation: { id: string; state: string; acknowledgedBy: string | null } | null;
  reporter: { id: string; boxPk: string; signKeys: { kid: string; signPk: string }[] };
  timeline: Entry[];
}

/**
 * Issue 15, point 1: the case list for caseworkers and supervisors (filters, keyset pages) and the
 * case view with its whole timeline in order, against the real API, worker (escalation, delivery),
 * PostgreSQL, Redis and SMTP; caseworkers read the escalation history; every view is audited and
 * nobody outside the case sees it.
 */
describe('case list and case view with its timeline', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let stack: CaseworkStack;
  let keys: IntakeKeys;
  let teamA: string;
  let policyId: string;
  let cwA: KeyedStaff;
  let supA: KeyedStaff;
  let cwB: KeyedStaff;
  let admin: TestStaff;
  const q = <T>(text: string, params: unknown[] = []): Promise<T[]> => rowsOf<T>(db.url, text, params);

  beforeAll(async () => {
    stack = await startCasework(DEPLOYMENT, {
      env: { ESCALATION_SWEEP_EVERY_MS: '500', CHECKIN_SIGNATURE_MAX_AGE_SECONDS: '600' },
    });
    ({ db, api, keys } = stack);
    teamA = await ensureTeam(db, 'desk A');
    await ensureTeam(db, 'desk B');
    cwA = await keyedStaff(api, db, { role: 'caseworker', teams: ['desk A'] }, keys.staff[1]);
    supA = await keyedStaff(api, db, { role: 'supervisor', teams: ['desk A'] });
    cwB = await keyedStaff(api, db, { role: 'caseworker', teams: ['desk B'] });
    admin = await signedInStaff(api, db, { role: 'admin' });
    await addContact(api, cwA, 'email', { address: `${cwA.login}@staff.example` });
    policyId = await teamAlertPolicy(api, admin, teamA);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('shows severity, state, reasons, team, deadline and the whole timeline in order: report, escalation, notifications, panic, messages, note', async () => {
    const { reporter, caseId, reportId } = await caseWithReport(api, db, {
      teamId: teamA,
      policyId,
      intake: [keys.staff[0].publicKey, keys.staff[1].publicKey],
    });
    const attachmentId = randomUUID();
    const blob = encryptAttachment(utf8('a photo'), generateAttachmentKey());
    const up = await fetch(`${api.url}/v1/reports/${reportId}/attachments/${attachmentId}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', ...reporter.auth },
      body: bytes(blob),
    });
    expect(up.status).toBe(201);
    // The escalation starts and emails cwA (delivered by the worker over SMTP).
    await waitFor(
      () =>
        q<{ status: string }>(
          `SELECT n.status FROM escalation_notifications n JOIN escalation_runs r ON r.id = n.run_id WHERE r.case_id = $1 AND n.status = 'delivered'`,
          [caseId],
        ).then((r) => r.length > 0 && r),
      {
        what: 'a delivered escalation notification',
      },
    );
    const panic = await send(api, reporter.auth, 'POST', '/panic', signedSignal('panic', reporter));
    expect(panic.status).toBeLessThan(300);
    const staffMsg = sealAs(
      cwA,
      'message',
      [reporter.box.publicKey, cwA.keys.boxKeyPair.publicKey],
      'we are on it',
    );
    expect(
      (
        await send(api, cwA.headers, 'PUT', `/cases/${caseId}/messages/${staffMsg.id}`, {
          envelope: staffMsg,
        })
      ).status,
    ).toBe(201);
    const reply = sealAs(reporter, 'message', [keys.staff[1].publicKey], 'thank you');
    expect(
      (
        await send(api, reporter.auth, 'PUT', `/reports/${reportId}/messages/${reply.id}`, {
          envelope: reply,
        })
      ).status,
    ).toBe(201);
    const note = sealAs(
      supA,
      'note',
      [supA.keys.boxKeyPair.publicKey, keys.staff[0].publicKey],
      'liaison called',
    );
    expect(
      (await send(api, supA.headers, 'PUT', `/cases/${caseId}/notes/${note.id}`, { envelope: note })).status,
    ).toBe(201);

    const res = await send(api, cwA.headers, 'GET', `/cases/${caseId}`);
    expect(res.status).toBe(200);
    const d = res.body as unknown as Detail;
    expect(d).toMatchObject({
      id: caseId,
      teamId: teamA,
      assigneeId: null,
      state: 'open',
      severity: 'critical',
      escalation: { acknowledgedBy: null },
    });
    expect(d.reasons).toEqual(expect.arrayContaining(['report', 'panic']));
    expect(d.reporter.signKeys.map((k) => k.kid)).toContain(reporter.reporterId);
    const types = d.timeline.map((e) => e.type);
    const first = (t: string): number => types.indexOf(t);
    expect(first('report')).toBe(0);
    expect(d.timeline[0]).toMatchObject({ reportId, attachments: [{ id: attachmentId, size: blob.length }] });
    expect(types).toEqual(
      expect.arrayContaining(['report', 'escalation', 'notification', 'checkin', 'message', 'note']),
    );
    expect(d.timeline.find((e) => e.type === 'checkin')).toMatchObject({ kind: 'panic' });
    // Everyone the escalation alerted is there, with the channel used (none for a member without contact methods).
    const notified = d.timeline.filter((e) => e.type === 'notification');
    expect(notified).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ recipientId: cwA.staffId, channel: 'email', status: 'delivered' }),
      ]),
    );
    expect(d.timeline.filter((e) => e.type === 'message').map((e) => [e.messageId, e.from])).toEqual([
      [staffMsg.id, 'staff'],
      [reply.id, 'reporter'],
    ]);
    expect(first('note')).toBeGreaterThan(first('message'));
    const ats = d.timeline.map((e) => e.at);
    expect([...ats].sort()).toEqual(ats);
    // Check-in events carry times and kinds only.
    expect(Object.keys(d.timeline.find((e) => e.type === 'checkin')!).sort()).toEqual(['at', 'kind', 'type']);
    expect(
      await q(`SELECT actor_id FROM audit_log WHERE action = 'case.viewed' AND target_id = $1`, [caseId]),
    ).toEqual([{ actor_id: cwA.staffId }]);

    // Caseworkers of the team read the escalation history; another team's caseworker cannot.
    expect((await send(api, cwA.headers, 'GET', `/escalations/${d.escalation!.id}/history`)).status).toBe(
      200,
    );
    expect((await send(api, cwB.headers, 'GET', `/escalations/${d.escalation!.id}/history`)).status).toBe(
      404,
    );
  });

  it('lists cases for caseworkers and supervisors with filters and keyset pages; another team sees none of them', async () => {
    const made = [];
    for (const severity of ['high', 'low', 'high'])
      made.push(
        await caseWithReport(api, db, { teamId: teamA, severity, intake: [keys.staff[1].publicKey] }),
      );
    const ids = made.map((m) => m.caseId);
    const all = async (who: TestStaff, filter: Record<string, string>): Promise<string[]> => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const params = new URLSearchParams({ limit: '1', ...filter, ...(cursor ? { cursor } : {}) });
        const page = await send(api, who.headers, 'GET', `/cases?${params}`);
        expect(page.status).toBe(200);
        seen.push(...(page.body.items as { id: string }[]).map((i) => i.id));
        cursor = page.body.nextCursor as string | null;
      } while (cursor);
      return seen;
    };
    expect(await all(cwA, { teamId: teamA })).toEqual(expect.arrayContaining(ids));
    const high = await all(supA, { severity: 'high', reason: 'report' });
    expect(high).toEqual(expect.arrayContaining([ids[0], ids[2]]));
    expect(high).not.toContain(ids[1]);
    expect((await all(cwB, {})).filter((id) => ids.includes(id))).toEqual([]);
    expect(await all(cwA, { assigneeId: cwA.staffId })).toEqual([]);
    expect((await send(api, admin.headers, 'GET', '/cases')).status).toBe(403);
    expect((await send(api, cwA.headers, 'GET', '/cases?reason=DROP%20TABLE')).status).toBe(400);
    const item = (
      (await send(api, cwA.headers, 'GET', `/cases?limit=200&teamId=${teamA}`)).body.items as Record<
        string,
        unknown
      >[]
    ).find((i) => i.id === ids[0]);
    expect(Object.keys(item!).sort()).toEqual([
      'assigneeId',
      'deadlineAt',
      'id',
      'openedAt',
      'reasons',
      'severity',
      'state',
      'teamId',
    ]);
  });

  it('refuses the case view to another team’s caseworker (404), an admin and a reporter (403), and audits only real reads', async () => {
    const { reporter, caseId } = await caseWithReport(api, db, {
      teamId: teamA,
      intake: [keys.staff[1].publicKey],
    });
    expect((await send(api, cwB.headers, 'GET', `/cases/${caseId}`)).status).toBe(404);
    expect((await send(api, cwB.headers, 'GET', `/cases/${randomUUID()}`)).body).toEqual(
      (await send(api, cwB.headers, 'GET', `/cases/${caseId}`)).body,
    );
    expect((await send(api, admin.headers, 'GET', `/cases/${caseId}`)).status).toBe(403);
    expect((await send(api, reporter.auth, 'GET', `/cases/${caseId}`)).status).toBe(403);
    expect(
      await q(`SELECT actor_id FROM audit_log WHERE action = 'case.viewed' AND target_id = $1`, [caseId]),
    ).toEqual([]);
  });
});
