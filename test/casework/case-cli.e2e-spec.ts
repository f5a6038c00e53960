import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  attachmentHash,
  encryptAttachment,
  fromB64u,
  fromUtf8,
  generateAttachmentKey,
  openVerifiedEnvelope,
  toB64u,
  type Envelope,
} from '@panah/crypto';
import type { RunningApp } from '../support/apps';
import {
  caseWithReport,
  keyedStaff,
  startCasework,
  teamAlertPolicy,
  type CaseworkStack,
  type KeyedStaff,
} from '../support/casework';
import { panah } from '../support/cli';
import { rowsOf, type TestDatabase } from '../support/database';
import type { IntakeKeys } from '../support/intake';
import { ensureTeam, insertStaffRow, signIn, signedInStaff } from '../support/staff';
import { waitFor } from '../support/wait';

/** Issue 15, point 8: `panah case list|show|ack|assign|resolve` against the real API and worker. */
describe('panah case (caseworker CLI)', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let stack: CaseworkStack;
  let keys: IntakeKeys;
  let cw: KeyedStaff;
  let teamId: string;
  let policyId: string;

  beforeAll(async () => {
    stack = await startCasework('cli-test', { smtp: false, env: { ESCALATION_SWEEP_EVERY_MS: '500' } });
    ({ db, api, keys } = stack);
    teamId = await ensureTeam(db, 'cli desk');
    cw = await keyedStaff(api, db, { role: 'caseworker', teams: ['cli desk'] });
    const admin = await signedInStaff(api, db, { role: 'admin' });
    policyId = await teamAlertPolicy(api, admin, teamId);
  });

  afterAll(async () => {
    await stack?.close();
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

  describe('with the staff key opened from the password (case show)', () => {
    const password = 'cli caseworker password 1';
    let me: { staffId: string; token: string; box: { publicKey: Uint8Array } };
    let other: { token: string };

    beforeAll(async () => {
      const mine = await insertStaffRow(api, db, { role: 'caseworker', teams: ['cli desk'], password });
      const signed = await signIn(api, mine.account);
      me = { staffId: signed.staffId, token: signed.token, box: mine.derived!.box };
      await ensureTeam(db, 'other desk');
      const theirs = await insertStaffRow(api, db, {
        role: 'caseworker',
        teams: ['other desk'],
        password: 'other caseworker pass',
      });
      other = await signIn(api, theirs.account);
    });

    const envOf = (token: string, pw: string) => ({
      PANAH_API_URL: api.url,
      PANAH_SESSION_TOKEN: token,
      PANAH_SESSION_FILE: '/nonexistent/session.json',
      PANAH_STAFF_PASSWORD: pw,
    });

    it('shows the case with the report decrypted and its signature verified', async () => {
      const { caseId, reportId } = await caseWithReport(api, db, {
        teamId,
        intake: [me.box.publicKey],
        plaintext: '{"schema":"report/1","narrative":"a grey car outside the office"}',
      });
      const shown = await panah(['case', 'show', caseId], envOf(me.token, password));
      expect([shown.code, shown.err]).toEqual([0, []]);
      const text = shown.out.join('\n');
      expect(shown.out.slice(0, 5)).toEqual([
        `case ${caseId}`,
        'severity: high',
        'state: open',
        'reasons: report',
        expect.stringMatching(/^deadline: \d{4}-/),
      ]);
      expect(text).toContain(`report ${reportId} from reporter: signature verified`);
      expect(text).toContain('  a grey car outside the office');

      const wrong = await panah(['case', 'show', caseId], envOf(me.token, 'not the password at all'));
      expect(wrong.code).not.toBe(0);
      expect(wrong.out.join('\n')).not.toContain('grey car');
    });

    it("opens an envelope with the signed-in account's own key, without a key file (envelope open)", async () => {
      const { caseId } = await caseWithReport(api, db, {
        teamId,
        intake: [me.box.publicKey],
        plaintext: '{"schema":"report/1","narrative":"a van with no plates"}',
      });
      const res = await fetch(`${api.url}/v1/cases/${caseId}`, {
        headers: { authorization: `Bearer ${me.token}` },
      });
      const detail = (await res.json()) as { timeline: { type: string; envelope?: unknown }[] };
      const report = detail.timeline.find((e) => e.type === 'report');
      const dir = mkdtempSync(join(tmpdir(), 'panah-envelope-'));
      const file = join(dir, 'report.json');
      writeFileSync(file, JSON.stringify(report?.envelope));
      try {
        const opened = await panah(['envelope', 'open', file], envOf(me.token, password));
        expect(opened.code).toBe(0);
        expect(opened.out.join('\n')).toContain('a van with no plates');
        const wrong = await panah(['envelope', 'open', file], envOf(me.token, 'not the password at all'));
        expect(wrong.code).not.toBe(0);
        expect(wrong.out.join('\n')).not.toContain('a van');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('sends a reply the reporter opens and verifies, and a note that shows in the timeline', async () => {
      const { caseId, reporter } = await caseWithReport(api, db, { teamId, intake: [me.box.publicKey] });
      const reply = await panah(
        ['case', 'reply', caseId],
        envOf(me.token, password),
        'We read your report.\nStay at the safe address.\n',
      );
      expect([reply.code, reply.err]).toEqual([0, []]);
      const messageId = /^message (\S+) added to case /.exec(reply.out[0] ?? '')?.[1];
      expect(messageId).toBeDefined();
      const inbox = await fetch(`${api.url}/v1/messages`, { headers: reporter.auth });
      const items = ((await inbox.json()) as { items: { id: string; envelope: Envelope }[] }).items;
      expect(items.map((i) => i.id)).toEqual([messageId]);
      const author = (await (
        await fetch(`${api.url}/v1/keys/staff/${items[0].envelope.author.kid}`, {
          headers: { authorization: `Bearer ${me.token}` },
        })
      ).json()) as { staffId: string; signPk: string };
      expect(author.staffId).toBe(me.staffId);
      const plain = openVerifiedEnvelope(items[0].envelope, reporter.box, fromB64u(author.signPk));
      expect(JSON.parse(fromUtf8(plain))).toEqual({
        schema: 'panah/message/v1',
        text: 'We read your report.\nStay at the safe address.',
      });

      const note = await panah(['case', 'note', caseId], envOf(me.token, password), 'called the liaison');
      expect([note.code, note.err]).toEqual([0, []]);
      const noteId = /^note (\S+) added to case /.exec(note.out[0] ?? '')?.[1];
      const empty = await panah(['case', 'note', caseId], envOf(me.token, password), '  \n');
      expect(empty.code).not.toBe(0);

      const shown = await panah(['case', 'show', caseId], envOf(me.token, password));
      expect(shown.code).toBe(0);
      const lines = shown.out;
      const at = (needle: string) => lines.findIndex((l) => l.includes(needle));
      expect(lines[at(`message ${messageId} from staff`)]).toContain('signature verified');
      expect(lines[at(`message ${messageId}`) + 1]).toBe('  We read your report.');
      expect(lines[at(`note ${noteId} from staff`)]).toContain('signature verified');
      expect(lines[at(`note ${noteId}`) + 1]).toBe('  called the liaison');
      expect(await rowsOf(db.url, `SELECT id FROM case_notes WHERE case_id = $1`, [caseId])).toEqual([
        { id: noteId },
      ]);
    });

    it('downloads an attachment, decrypts it, checks its hash and writes it owner-only, never overwriting', async () => {
      const attachmentId = randomUUID();
      const file = randomBytes(150_000); // three secretstream chunks
      const key = generateAttachmentKey();
      const ref = {
        id: attachmentId,
        key: toB64u(key),
        name: 'photo.jpg',
        mime: 'image/jpeg',
        size: file.length,
        hash: toB64u(attachmentHash(file)),
      };
      const { caseId, reportId, reporter } = await caseWithReport(api, db, {
        teamId,
        intake: [me.box.publicKey],
        plaintext: JSON.stringify({ schema: 'report/1', narrative: 'see the photo', attachments: [ref] }),
      });
      const blob = encryptAttachment(file, key);
      const up = await fetch(`${api.url}/v1/reports/${reportId}/attachments/${attachmentId}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream', ...reporter.auth },
        body: blob.slice().buffer as ArrayBuffer,
      });
      expect(up.status).toBe(201);
      const dir = mkdtempSync(join(tmpdir(), 'panah-att-'));
      try {
        const out = join(dir, 'photo.jpg');
        const got = await panah(
          ['case', 'attachment', caseId, attachmentId, '-o', out],
          envOf(me.token, password),
        );
        expect([got.code, got.err]).toEqual([0, []]);
        expect(Buffer.compare(readFileSync(out), Buffer.from(file))).toBe(0);
        expect(statSync(out).mode & 0o777).toBe(0o600);
        const again = await panah(
          ['case', 'attachment', caseId, attachmentId, '-o', out],
          envOf(me.token, password),
        );
        expect(again.code).not.toBe(0);
        expect(again.err.join('\n')).toContain('not overwriting');
        expect(Buffer.compare(readFileSync(out), Buffer.from(file))).toBe(0);
        const shown = await panah(['case', 'show', caseId], envOf(me.token, password));
        expect(shown.out).toContain(`  attachment ${attachmentId} photo.jpg (${file.length} bytes)`);
        const theirs = join(dir, 'theirs.jpg');
        const refused = await panah(
          ['case', 'attachment', caseId, attachmentId, '-o', theirs],
          envOf(other.token, 'other caseworker pass'),
        );
        expect(refused.code).not.toBe(0);
        expect(existsSync(theirs)).toBe(false);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses an attachment whose hash does not match the report and writes nothing', async () => {
      const attachmentId = randomUUID();
      const key = generateAttachmentKey();
      const ref = { id: attachmentId, key: toB64u(key), name: 'a', mime: 'text/plain', size: 5 };
      const { caseId, reportId, reporter } = await caseWithReport(api, db, {
        teamId,
        intake: [me.box.publicKey],
        plaintext: JSON.stringify({
          schema: 'report/1',
          narrative: 'x',
          attachments: [{ ...ref, hash: toB64u(attachmentHash(Buffer.from('other'))) }],
        }),
      });
      const up = await fetch(`${api.url}/v1/reports/${reportId}/attachments/${attachmentId}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream', ...reporter.auth },
        body: encryptAttachment(Buffer.from('hello'), key).slice().buffer as ArrayBuffer,
      });
      expect(up.status).toBe(201);
      const dir = mkdtempSync(join(tmpdir(), 'panah-att-'));
      try {
        const out = join(dir, 'a.txt');
        const got = await panah(
          ['case', 'attachment', caseId, attachmentId, '-o', out],
          envOf(me.token, password),
        );
        expect(got.code).not.toBe(0);
        expect(got.err.join('\n')).toContain('hash does not match');
        expect(existsSync(out)).toBe(false);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses another team’s caseworker and prints nothing of the case', async () => {
      const { caseId } = await caseWithReport(api, db, {
        teamId,
        intake: [me.box.publicKey],
        plaintext: '{"schema":"report/1","narrative":"secret narrative"}',
      });
      const refused = await panah(['case', 'show', caseId], envOf(other.token, 'other caseworker pass'));
      expect(refused.code).not.toBe(0);
      expect(refused.out).toEqual([]);
      expect(refused.err.join('\n')).not.toContain('secret narrative');
      for (const verb of ['reply', 'note']) {
        const run = await panah(['case', verb, caseId], envOf(other.token, 'other caseworker pass'), 'hello');
        expect(run.code).not.toBe(0);
      }
      expect(await rowsOf(db.url, `SELECT id FROM case_notes WHERE case_id = $1`, [caseId])).toEqual([]);
      expect(await rowsOf(db.url, `SELECT id FROM reporter_messages WHERE case_id = $1`, [caseId])).toEqual(
        [],
      );
    });
  });
});
