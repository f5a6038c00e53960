import { randomUUID } from 'node:crypto';
import {
  attachmentHash,
  decryptAttachment,
  encryptAttachment,
  fromB64u,
  fromUtf8,
  generateAttachmentKey,
  openVerifiedEnvelope,
  toB64u,
  utf8,
  type Envelope,
} from '@panah/crypto';
import { shortRefFromId } from '@panah/domain';
import type { RunningApp } from '../support/apps';
import {
  caseWithReport,
  keyedStaff,
  sealAs,
  send,
  startCasework,
  type CaseworkStack,
  type KeyedStaff,
} from '../support/casework';
import { rowsOf, type TestDatabase } from '../support/database';
import { addContact } from '../support/escalation';
import { signedInReporter, type IntakeKeys, type TestReporter } from '../support/intake';
import type { TestSmtpServer } from '../support/smtp';
import { ensureTeam, signedInStaff, type TestStaff } from '../support/staff';
import { waitFor } from '../support/wait';

const DEPLOYMENT = 'casework-test';
const bytes = (b: Uint8Array): ArrayBuffer => b.slice().buffer as ArrayBuffer;

/**
 * Issue 15, points 2–4: messages both ways (crypto-v1 §9), case notes, the recipients route,
 * attachments for staff and staff key lookup, against the real API, worker, PostgreSQL, Redis and
 * SMTP; and for every route, people who cannot read the case are refused and nothing is written.
 */
describe('case work: conversation, notes, recipients, attachments', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let stack: CaseworkStack;
  let smtp: TestSmtpServer;
  let keys: IntakeKeys;
  let teamA: string;
  let cwA: KeyedStaff;
  let cwA2: KeyedStaff;
  let supA: KeyedStaff;
  let cwB: KeyedStaff;
  let admin: TestStaff;
  const inbox = (who: TestStaff): string => `${who.login}@staff.example`.toLowerCase();
  const q = <T>(text: string, params: unknown[] = []): Promise<T[]> => rowsOf<T>(db.url, text, params);
  const box = (s: KeyedStaff): Uint8Array => s.keys.boxKeyPair.publicKey;
  const recovery = (): Uint8Array => keys.staff[0].publicKey;

  beforeAll(async () => {
    stack = await startCasework(DEPLOYMENT, { env: { ATTACHMENT_MAX_BYTES: String(512 * 1024) } });
    ({ db, api, keys } = stack);
    smtp = stack.smtp!;
    teamA = await ensureTeam(db, 'desk A');
    await ensureTeam(db, 'desk B');
    cwA = await keyedStaff(api, db, { role: 'caseworker', teams: ['desk A'] }, keys.staff[1]);
    cwA2 = await keyedStaff(api, db, { role: 'caseworker', teams: ['desk A'] });
    supA = await keyedStaff(api, db, { role: 'supervisor', teams: ['desk A'] });
    cwB = await keyedStaff(api, db, { role: 'caseworker', teams: ['desk B'] });
    admin = await signedInStaff(api, db, { role: 'admin' });
    await addContact(api, cwA, 'email', { address: inbox(cwA) });
  });

  afterAll(async () => {
    await stack?.close();
  });

  const newCase = () =>
    caseWithReport(api, db, { teamId: teamA, intake: [keys.staff[0].publicKey, keys.staff[1].publicKey] });
  const staffMessage = (
    author: KeyedStaff,
    reporter: TestReporter,
    text = 'We have your report.',
    extra: Uint8Array[] = [],
  ): Envelope =>
    sealAs(
      author,
      'message',
      [reporter.box.publicKey, box(author), ...extra],
      JSON.stringify({ schema: 'message/1', text }),
    );
  const note = (author: KeyedStaff, text = 'called the police liaison', extra: Uint8Array[] = []): Envelope =>
    sealAs(author, 'note', [box(author), recovery(), ...extra], JSON.stringify({ schema: 'note/1', text }));

  it('a caseworker answers the reporter: 201, identical replay 200, another body 409; the reporter opens it and verifies the author', async () => {
    const { reporter, caseId } = await newCase();
    const env = staffMessage(cwA, reporter, 'We have your report. Stay at the safe address.', [box(supA)]);
    const first = await send(api, cwA.headers, 'PUT', `/cases/${caseId}/messages/${env.id}`, {
      envelope: env,
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      id: env.id,
      caseId,
      from: 'staff',
      authorStaffId: cwA.staffId,
      envelope: env,
    });
    expect(
      (await send(api, cwA.headers, 'PUT', `/cases/${caseId}/messages/${env.id}`, { envelope: env })).status,
    ).toBe(200);
    const other = staffMessage(cwA, reporter, 'something else', []);
    const conflict = await send(api, cwA.headers, 'PUT', `/cases/${caseId}/messages/${env.id}`, {
      envelope: { ...other, id: env.id },
    });
    expect([conflict.status, conflict.body.reason]).toEqual([400, 'envelope/bad_signature']); // id is signed: a moved envelope fails first
    const other2 = sealAs(cwA, 'message', [reporter.box.publicKey, box(cwA)], 'different', env.id);
    const c2 = await send(api, cwA.headers, 'PUT', `/cases/${caseId}/messages/${env.id}`, {
      envelope: other2,
    });
    expect([c2.status, c2.body.reason]).toEqual([409, 'message/conflict']);

    const inboxOfReporter = await send(api, reporter.auth, 'GET', '/messages');
    const items = inboxOfReporter.body.items as {
      id: string;
      from: string;
      caseId: string;
      envelope: Envelope;
    }[];
    expect(items.map((i) => [i.id, i.from, i.caseId])).toEqual([[env.id, 'staff', caseId]]);
    // The author's sign key by the envelope's author.kid, then verify and open as the reporter.
    const author = await send(api, cwA2.headers, 'GET', `/keys/staff/${items[0].envelope.author.kid}`);
    expect(author.body).toMatchObject({
      staffId: cwA.staffId,
      signPk: toB64u(cwA.keys.signKeyPair.publicKey),
    });
    const plain = openVerifiedEnvelope(
      items[0].envelope,
      reporter.box,
      fromB64u(author.body.signPk as string),
    );
    expect(JSON.parse(fromUtf8(plain))).toEqual({
      schema: 'message/1',
      text: 'We have your report. Stay at the safe address.',
    });
    expect(
      await q(`SELECT action FROM audit_log WHERE action = 'case.message_sent' AND target_id = $1`, [caseId]),
    ).toHaveLength(1);
  });

  it.each([
    [
      'leaves out the reporter',
      (a: KeyedStaff) => sealAs(a, 'message', [box(a)], 'x'),
      'envelope/missing_recipient',
      'envelope.recipients',
    ],
    [
      'leaves out the author',
      (a: KeyedStaff, r: TestReporter) => sealAs(a, 'message', [r.box.publicKey], 'x'),
      'envelope/missing_recipient',
      'envelope.recipients',
    ],
    [
      'adds a key of another team',
      (a: KeyedStaff, r: TestReporter) => sealAs(a, 'message', [r.box.publicKey, box(a), box(cwB)], 'x'),
      'envelope/unknown_recipient',
      'envelope.recipients[2].kid',
    ],
    [
      'is signed by another staff member',
      (a: KeyedStaff, r: TestReporter) => sealAs(cwA2, 'message', [r.box.publicKey, box(a)], 'x'),
      'envelope/unknown_author',
      'envelope.author.kid',
    ],
    [
      'is envelope v1',
      (a: KeyedStaff, r: TestReporter) =>
        ({ ...sealAs(a, 'message', [r.box.publicKey, box(a)], 'x'), v: 1 }) as unknown as Envelope,
      'envelope/v1_retired',
      'envelope.v',
    ],
    [
      'is a note',
      (a: KeyedStaff, r: TestReporter) => sealAs(a, 'note', [r.box.publicKey, box(a)], 'x'),
      'envelope/bad_format',
      'envelope.kind',
    ],
  ])(
    'refuses a staff message that %s with a 400 naming the field, and stores nothing',
    async (_what, make, reason, path) => {
      const { reporter, caseId } = await newCase();
      const env = make(cwA, reporter);
      const res = await send(api, cwA.headers, 'PUT', `/cases/${caseId}/messages/${env.id}`, {
        envelope: env,
      });
      expect([res.status, res.body.reason]).toEqual([400, reason]);
      expect((res.body.fields as { path: string }[]).map((f) => f.path)).toContain(path);
      expect(await q(`SELECT id FROM reporter_messages WHERE case_id = $1`, [caseId])).toEqual([]);
    },
  );

  it('a reporter message joins the conversation and tells the case staff (content-free), opening or raising nothing', async () => {
    const { reporter, caseId, reportId } = await newCase();
    const before = await q<{ version: number; severity: string }>(
      `SELECT version, severity FROM cases WHERE id = $1`,
      [caseId],
    );
    const env = sealAs(
      reporter,
      'message',
      [keys.staff[0].publicKey, keys.staff[1].publicKey],
      '{"schema":"message/1","text":"They are outside again"}',
    );
    const res = await send(api, reporter.auth, 'PUT', `/reports/${reportId}/messages/${env.id}`, {
      envelope: env,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: env.id, caseId, reportId, from: 'reporter', authorStaffId: null });
    expect(
      (await send(api, reporter.auth, 'PUT', `/reports/${reportId}/messages/${env.id}`, { envelope: env }))
        .status,
    ).toBe(200);
    const ref = shortRefFromId(caseId);
    const mail = await waitFor(
      () => smtp.to(inbox(cwA)).find((m) => m.text.includes(`update on high case ${ref}`)),
      { what: 'the case update email' },
    );
    expect(mail.text).not.toContain('outside');
    expect(await q(`SELECT version, severity FROM cases WHERE id = $1`, [caseId])).toEqual(before);
    expect(await q(`SELECT id FROM cases WHERE reporter_id = $1`, [reporter.reporterId])).toHaveLength(1);
    const stranger = sealAs(reporter, 'message', [box(cwB)], 'x');
    const refused = await send(api, reporter.auth, 'PUT', `/reports/${reportId}/messages/${stranger.id}`, {
      envelope: stranger,
    });
    expect([refused.status, refused.body.reason]).toEqual([400, 'envelope/unknown_recipient']);
  });

  it('a reporter message on an acknowledged case tells its assignee at once (issue 15 point 6)', async () => {
    const { reporter, caseId, reportId } = await caseWithReport(api, db, {
      teamId: teamA,
      intake: [keys.staff[0].publicKey, keys.staff[1].publicKey],
      state: 'acknowledged',
    });
    await q(`UPDATE cases SET assignee_id = $2 WHERE id = $1`, [caseId, cwA2.staffId]);
    const env = sealAs(
      reporter,
      'message',
      [keys.staff[0].publicKey, keys.staff[1].publicKey],
      '{"schema":"message/1","text":"They came back"}',
    );
    expect(
      (await send(api, reporter.auth, 'PUT', `/reports/${reportId}/messages/${env.id}`, { envelope: env }))
        .status,
    ).toBe(201);
    const told = await waitFor(
      async () => {
        const rows = await q<{ recipient_id: string }>(
          `SELECT recipient_id FROM escalation_notifications WHERE case_id = $1 AND kind = 'case_update'`,
          [caseId],
        );
        return rows.length > 0 ? rows : null;
      },
      { what: 'the case update' },
    );
    expect(told.map((r) => r.recipient_id)).toEqual([cwA2.staffId]);
  });

  it('case notes: 201, replay 200, another body 409; the recovery key and the author are required', async () => {
    const { caseId } = await newCase();
    const env = note(cwA, 'met the reporter', [box(cwA2)]);
    expect(
      (await send(api, cwA.headers, 'PUT', `/cases/${caseId}/notes/${env.id}`, { envelope: env })).status,
    ).toBe(201);
    expect(
      (await send(api, cwA.headers, 'PUT', `/cases/${caseId}/notes/${env.id}`, { envelope: env })).status,
    ).toBe(200);
    const other = sealAs(cwA, 'note', [box(cwA), recovery()], 'other', env.id);
    expect(
      (await send(api, cwA.headers, 'PUT', `/cases/${caseId}/notes/${env.id}`, { envelope: other })).body
        .reason,
    ).toBe('note/conflict');
    const noRecovery = sealAs(supA, 'note', [box(supA)], 'x');
    const res = await send(api, supA.headers, 'PUT', `/cases/${caseId}/notes/${noRecovery.id}`, {
      envelope: noRecovery,
    });
    expect([res.status, res.body.reason]).toEqual([400, 'envelope/missing_recipient']);
    const rows = await q<{ id: string; author_id: string }>(
      `SELECT id, author_id FROM case_notes WHERE case_id = $1`,
      [caseId],
    );
    expect(rows).toEqual([{ id: env.id, author_id: cwA.staffId }]);
  });

  it('lists the recipients of a message and of a note: reporter, caller, the case staff, the recovery key', async () => {
    const { reporter, caseId } = await newCase();
    const res = await send(api, cwA2.headers, 'GET', `/cases/${caseId}/recipients`);
    expect(res.status).toBe(200);
    const body = res.body as {
      message: { pk: string; role: string; staffId: string | null }[];
      note: { pk: string; role: string; staffId: string | null }[];
    };
    const pk = (b: Uint8Array): string => toB64u(b);
    expect(body.message.map((k) => k.pk)).toEqual([
      pk(reporter.box.publicKey),
      pk(box(cwA2)),
      pk(box(cwA)),
      pk(box(supA)),
    ]);
    expect(body.note.map((k) => [k.role, k.pk])).toEqual([
      ['staff', pk(box(cwA2))],
      ['staff', pk(box(cwA))],
      ['staff', pk(box(supA))],
      ['recovery', pk(recovery())],
    ]);
    expect(body.message.some((k) => k.pk === pk(box(cwB)))).toBe(false);
  });

  it('streams an attachment to staff of the case (octet-stream, Content-Length, no-store), audited; the blob decrypts to the hashed file', async () => {
    const { reporter, caseId, reportId } = await newCase();
    const file = new Uint8Array(300_000).map((_, i) => (i * 31) & 0xff);
    const key = generateAttachmentKey();
    const blob = encryptAttachment(file, key);
    const attachmentId = randomUUID();
    const up = await fetch(`${api.url}/v1/reports/${reportId}/attachments/${attachmentId}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', ...reporter.auth },
      body: bytes(blob),
    });
    expect(up.status).toBe(201);
    const res = await fetch(`${api.url}/v1/cases/${caseId}/attachments/${attachmentId}`, {
      headers: cwA.headers,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-length')).toBe(String(blob.length));
    expect(res.headers.get('cache-control')).toBe('no-store');
    const got = new Uint8Array(await res.arrayBuffer());
    const plain = decryptAttachment(got, key);
    expect(attachmentHash(plain)).toEqual(attachmentHash(file));
    expect(
      await q(`SELECT action FROM audit_log WHERE action = 'case.attachment_read' AND target_id = $1`, [
        caseId,
      ]),
    ).toHaveLength(1);
    expect(
      (await fetch(`${api.url}/v1/cases/${caseId}/attachments/${randomUUID()}`, { headers: cwA.headers }))
        .status,
    ).toBe(404);
  });

  it('refuses every case-work route to another team’s caseworker, an admin and another reporter, and writes nothing', async () => {
    const { reporter, caseId, reportId } = await newCase();
    const attachmentId = randomUUID();
    const blob = encryptAttachment(utf8('photo'), generateAttachmentKey());
    await fetch(`${api.url}/v1/reports/${reportId}/attachments/${attachmentId}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', ...reporter.auth },
      body: bytes(blob),
    });
    const intruder = await signedInReporter(api.url);
    const auditBefore = (await q(`SELECT count(*)::int AS n FROM audit_log`))[0];
    for (const who of [cwB, admin]) {
      const author = 'keys' in who ? (who as KeyedStaff) : cwB;
      const m = sealAs(author, 'message', [reporter.box.publicKey, box(author)], 'x');
      const n = sealAs(author, 'note', [box(author), recovery()], 'x');
      const results = [
        await send(api, who.headers, 'PUT', `/cases/${caseId}/messages/${m.id}`, { envelope: m }),
        await send(api, who.headers, 'PUT', `/cases/${caseId}/notes/${n.id}`, { envelope: n }),
        await send(api, who.headers, 'GET', `/cases/${caseId}/recipients`),
        await send(api, who.headers, 'GET', `/cases/${caseId}/attachments/${attachmentId}`),
      ];
      // Another team's caseworker: the same 404 as a missing case. An admin: refused by role (403).
      expect(results.map((r) => r.status)).toEqual(
        who === admin ? [403, 403, 403, 403] : [404, 404, 404, 404],
      );
    }
    const m = sealAs(intruder, 'message', [keys.staff[1].publicKey], 'x');
    const asIntruder = await send(api, intruder.auth, 'PUT', `/reports/${reportId}/messages/${m.id}`, {
      envelope: m,
    });
    expect([asIntruder.status, asIntruder.body.reason]).toEqual([404, 'report/not_found']);
    const staffRoute = await send(api, intruder.auth, 'GET', `/cases/${caseId}/recipients`);
    expect(staffRoute.status).toBe(403);
    expect(
      await q(`SELECT id FROM reporter_messages WHERE case_id = $1 OR report_id = $2`, [caseId, reportId]),
    ).toEqual([]);
    expect(await q(`SELECT id FROM case_notes WHERE case_id = $1`, [caseId])).toEqual([]);
    expect((await q(`SELECT count(*)::int AS n FROM audit_log`))[0]).toEqual(auditBefore);
    expect((await send(api, intruder.auth, 'GET', '/messages')).body.items).toEqual([]);
  });

  it('serves staff public keys by the kid of either key; the list holds active supervisors and caseworkers only', async () => {
    const list = await send(api, cwA.headers, 'GET', '/keys/staff');
    const items = list.body.items as { staffId: string; role: string }[];
    expect(items.map((i) => i.staffId)).toEqual(
      expect.arrayContaining([cwA.staffId, cwA2.staffId, supA.staffId, cwB.staffId]),
    );
    expect(items.some((i) => i.role === 'admin')).toBe(false);
    const byBox = await send(
      api,
      admin.headers,
      'GET',
      `/keys/staff/${(list.body.items as { staffId: string; boxKid: string }[]).find((i) => i.staffId === cwA.staffId)!.boxKid}`,
    );
    expect(byBox.body.staffId).toBe(cwA.staffId);
    expect((await send(api, cwA.headers, 'GET', '/keys/staff/nope')).status).toBe(404);
  });
});
