import { randomUUID } from 'node:crypto';
import { encryptAttachment, generateAttachmentKey } from '@panah/crypto';
import type { RunningApp } from '../support/apps';
import { rowsOf, type TestDatabase } from '../support/database';
import {
  type IntakeKeys,
  putReport,
  sealReport,
  signedInReporter,
  startIntakeApi,
  type TestReporter,
} from '../support/intake';
import { waitFor } from '../support/wait';

/**
 * Issue 18 point 7, as the attacker did it: 40 parallel uploads to one report stored 22
 * attachments with a limit of 20, and one reporter grew the database by 650 MB in 30 s. The
 * per-report count and the per-reporter quotas hold under parallel requests, every refusal names
 * its limit, and a refused request leaves nothing behind (no row, no staged chunk).
 */
const QUOTA = { reportsPerDay: 3, attachmentsPerDay: 30, bytes: 200_000 };

interface Answer {
  status: number;
  body: { code?: string; reason?: string; fields?: { path: string; message: string }[] };
}

describe('hardening: quotas and races on intake', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let keys: IntakeKeys;

  beforeAll(async () => {
    ({ db, api, keys } = await startIntakeApi({
      REPORTER_QUOTA_REPORTS_PER_DAY: String(QUOTA.reportsPerDay),
      REPORTER_QUOTA_ATTACHMENTS_PER_DAY: String(QUOTA.attachmentsPerDay),
      REPORTER_QUOTA_BYTES: String(QUOTA.bytes),
    }));
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  const newReport = async (reporter: TestReporter): Promise<string> => {
    const envelope = sealReport(reporter, [keys.staff[0].publicKey], '{"schema":"report/v1"}');
    const res = await putReport(api.url, reporter, envelope);
    expect(res.status).toBe(201);
    return envelope.id;
  };
  /**
   * One upload as a well-behaved client sends it: one reporter has one upload in flight at a time
   * (test/hardening/upload-in-flight), so a 429 `quota/uploads_in_flight` is tried again until
   * the upload gets its own answer. The parallel requests below still race for every limit.
   */
  const upload = async (
    reporter: TestReporter,
    reportId: string,
    blob: Uint8Array,
    attachmentId = randomUUID(),
  ): Promise<Answer> =>
    waitFor(
      async () => {
        const res = await fetch(`${api.url}/v1/reports/${reportId}/attachments/${attachmentId}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/octet-stream', ...reporter.auth },
          body: Buffer.from(blob),
        });
        const answer = { status: res.status, body: (await res.json()) as Answer['body'] };
        return answer.body.reason === 'quota/uploads_in_flight' ? null : answer;
      },
      { what: 'an upload answered other than uploads_in_flight', timeoutMs: 120_000, intervalMs: 100 },
    );
  const count = async (table: string, where = 'true', params: unknown[] = []): Promise<number> =>
    (await rowsOf<{ n: number }>(db.url, `SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params))[0]
      .n;
  const orphanChunks = () =>
    count(
      'attachment_chunks c',
      'NOT EXISTS (SELECT 1 FROM report_attachments a WHERE a.upload_id = c.upload_id)',
    );
  const statuses = (answers: Answer[]): Record<number, number> =>
    answers.reduce<Record<number, number>>(
      (acc, a) => ({ ...acc, [a.status]: (acc[a.status] ?? 0) + 1 }),
      {},
    );

  it('stores exactly 20 of 40 parallel uploads to one report, refusing the rest with the limit named', async () => {
    const reporter = await signedInReporter(api.url);
    const reportId = await newReport(reporter);
    const blob = encryptAttachment(new Uint8Array(64).fill(1), generateAttachmentKey());
    const answers = await Promise.all(Array.from({ length: 40 }, () => upload(reporter, reportId, blob)));
    expect(statuses(answers)).toEqual({ 201: 20, 400: 20 });
    for (const refused of answers.filter((a) => a.status === 400))
      expect(refused.body).toMatchObject({
        code: 'request/validation_failed',
        reason: 'attachment/too_many',
        fields: [{ path: 'attachmentsPerReport' }],
      });
    expect(await count('report_attachments', 'report_id = $1', [reportId])).toBe(20);
    expect(await orphanChunks()).toBe(0);
    // A retry of a stored attachment is still answered as one.
    const stored = await rowsOf<{ id: string }>(
      db.url,
      `SELECT id FROM report_attachments WHERE report_id = $1 LIMIT 1`,
      [reportId],
    );
    const again = await fetch(`${api.url}/v1/reports/${reportId}/attachments/${stored[0].id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', ...reporter.auth },
      body: Buffer.from(blob),
    });
    // Every upload above sent these same bytes, so the identical retry is answered as the stored one.
    expect(again.status).toBe(200);
  });

  it(`accepts ${QUOTA.reportsPerDay} of 8 parallel reports a day from one reporter, a 429 naming the quota for the rest, nothing written`, async () => {
    const reporter = await signedInReporter(api.url);
    const envelopes = Array.from({ length: 8 }, () =>
      sealReport(reporter, [keys.staff[0].publicKey], '{"schema":"report/v1"}'),
    );
    const outboxBefore = await count('outbox');
    const answers = await Promise.all(
      envelopes.map(async (e) => {
        const res = await putReport(api.url, reporter, e);
        return { status: res.status, body: (await res.json()) as Answer['body'] };
      }),
    );
    expect(statuses(answers)).toEqual({ 201: QUOTA.reportsPerDay, 429: 8 - QUOTA.reportsPerDay });
    for (const refused of answers.filter((a) => a.status === 429)) {
      expect(refused.body).toMatchObject({
        code: 'request/rate_limited',
        reason: 'quota/reports_per_day',
        fields: [{ path: 'quota.reportsPerDay' }],
      });
      expect(refused.body.fields?.[0].message).toContain('REPORTER_QUOTA_REPORTS_PER_DAY');
    }
    expect(await count('reports', 'reporter_id = $1', [reporter.reporterId])).toBe(QUOTA.reportsPerDay);
    expect(await count('outbox')).toBe(outboxBefore + QUOTA.reportsPerDay);
    // A stored report's retry is still a 200, and a refused one stays refused.
    const accepted = envelopes.filter((_, i) => answers[i].status === 201);
    const refused = envelopes.filter((_, i) => answers[i].status === 429);
    expect((await putReport(api.url, reporter, accepted[0])).status).toBe(200);
    expect((await putReport(api.url, reporter, refused[0])).status).toBe(429);
    // Another reporter is not affected.
    await newReport(await signedInReporter(api.url));
  });

  it(`stores ${QUOTA.attachmentsPerDay} attachments a day per reporter across reports, a 429 naming the quota after that`, async () => {
    const reporter = await signedInReporter(api.url);
    const [a, b] = [await newReport(reporter), await newReport(reporter)];
    const blob = encryptAttachment(new Uint8Array(32).fill(2), generateAttachmentKey());
    const answers = await Promise.all([
      ...Array.from({ length: 18 }, () => upload(reporter, a, blob)),
      ...Array.from({ length: 18 }, () => upload(reporter, b, blob)),
    ]);
    expect(statuses(answers)).toEqual({ 201: QUOTA.attachmentsPerDay, 429: 36 - QUOTA.attachmentsPerDay });
    for (const refused of answers.filter((x) => x.status === 429))
      expect(refused.body).toMatchObject({
        code: 'request/rate_limited',
        reason: 'quota/attachments_per_day',
        fields: [{ path: 'quota.attachmentsPerDay' }],
      });
    expect(await count('report_attachments', 'report_id = ANY($1::uuid[])', [[a, b]])).toBe(
      QUOTA.attachmentsPerDay,
    );
    expect(await orphanChunks()).toBe(0);
  });

  it('stores attachments up to the bytes quota under parallel uploads, a 413 naming it after that, no staged bytes left', async () => {
    const reporter = await signedInReporter(api.url);
    const reportId = await newReport(reporter);
    const blob = encryptAttachment(new Uint8Array(60_000).fill(3), generateAttachmentKey());
    const fits = Math.floor(QUOTA.bytes / blob.length);
    expect(fits).toBe(3);
    const answers = await Promise.all(Array.from({ length: 6 }, () => upload(reporter, reportId, blob)));
    expect(statuses(answers)).toEqual({ 201: fits, 413: 6 - fits });
    for (const refused of answers.filter((x) => x.status === 413))
      expect(refused.body).toMatchObject({
        code: 'request/payload_too_large',
        reason: 'quota/bytes_stored',
        fields: [{ path: 'quota.bytes' }],
      });
    const stored = await rowsOf<{ bytes: string }>(
      db.url,
      `SELECT COALESCE(sum(a.size), 0)::text AS bytes FROM report_attachments a JOIN reports r ON r.id = a.report_id WHERE r.reporter_id = $1`,
      [reporter.reporterId],
    );
    expect(Number(stored[0].bytes)).toBe(fits * blob.length);
    expect(Number(stored[0].bytes)).toBeLessThanOrEqual(QUOTA.bytes);
    // Another report of the same reporter shares the quota: even a small blob no longer fits, and
    // one that claims a large length is refused before a byte is staged.
    const other = await newReport(reporter);
    const small = encryptAttachment(new Uint8Array(30_000).fill(4), generateAttachmentKey());
    expect(await upload(reporter, other, small)).toMatchObject({
      status: 413,
      body: { reason: 'quota/bytes_stored' },
    });
    expect(await count('report_attachments', 'report_id = $1', [other])).toBe(0);
    expect(await orphanChunks()).toBe(0);
  });
});
