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

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { code?: string; reason?: string; fields?: { path: string; message: string }[] };
}

/** An upload whose body the test sends in two parts, the second when it says so. */
interface HeldUpload {
  /** Sends the rest of the body and ends it; resolves with the answer. */
  finish(): Promise<Answer>;
  /** Drops the connection mid-body (a client that goes away). */
  abort(): Promise<void>;
}

/**
 * One attachment upload in flight per reporter: parallel uploads each staged their bytes before
 * the quota's locked check, so a burst briefly stored more than the quota allowed. A second
 * upload while the first streams is a 429 `quota/uploads_in_flight` with Retry-After; the lease
 * ends with the first (however it ends), and a lease left by a crashed API expires.
 */
describe('hardening: one attachment upload in flight per reporter', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let keys: IntakeKeys;

  beforeAll(async () => {
    ({ db, api, keys } = await startIntakeApi({ ATTACHMENT_MAX_BYTES: '2097152' }));
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  const newReport = async (reporter: TestReporter): Promise<string> => {
    const envelope = sealReport(reporter, [keys.staff[0].publicKey], '{"schema":"report/v1"}');
    expect((await putReport(api.url, reporter, envelope)).status).toBe(201);
    return envelope.id;
  };
  const answerOf = async (res: Response): Promise<Answer> => ({
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    body: (await res.json()) as Answer['body'],
  });
  const upload = async (reporter: TestReporter, reportId: string, blob: Uint8Array): Promise<Answer> =>
    answerOf(
      await fetch(`${api.url}/v1/reports/${reportId}/attachments/${randomUUID()}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream', ...reporter.auth },
        body: Buffer.from(blob),
      }),
    );
  /** Chunk rows of uploads not (yet) adopted as an attachment. */
  const stagedChunks = async (): Promise<number> =>
    (
      await rowsOf<{ n: number }>(
        db.url,
        `SELECT count(*)::int AS n FROM attachment_chunks c
          WHERE NOT EXISTS (SELECT 1 FROM report_attachments a WHERE a.upload_id = c.upload_id)`,
      )
    )[0].n;
  const stored = async (reportId: string): Promise<number> =>
    (
      await rowsOf<{ n: number }>(
        db.url,
        `SELECT count(*)::int AS n FROM report_attachments WHERE report_id = $1`,
        [reportId],
      )
    )[0].n;

  /** Starts an upload of `blob`, sends its first 300 KiB (one chunk row staged) and holds the rest. */
  async function heldUpload(reporter: TestReporter, reportId: string, blob: Uint8Array): Promise<HeldUpload> {
    const split = 300 * 1024;
    const staged = await stagedChunks();
    let release!: () => void;
    const rest = new Promise<void>((resolve) => (release = resolve));
    const aborter = new AbortController();
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(blob.slice(0, split));
        await rest;
        if (aborter.signal.aborted) return;
        controller.enqueue(blob.slice(split));
        controller.close();
      },
    });
    const answer = fetch(`${api.url}/v1/reports/${reportId}/attachments/${randomUUID()}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', ...reporter.auth },
      body,
      duplex: 'half',
      signal: aborter.signal,
    } as RequestInit);
    answer.catch(() => undefined);
    // The first part has reached the database: this upload is in flight.
    await waitFor(async () => (await stagedChunks()) > staged, {
      what: 'the first upload staging its bytes',
      timeoutMs: 60_000,
    });
    return {
      finish: async () => {
        release();
        return answerOf(await answer);
      },
      abort: async () => {
        aborter.abort();
        release();
        await answer.catch(() => undefined);
      },
    };
  }

  const expectInFlight = (a: Answer): void => {
    expect(a).toMatchObject({
      status: 429,
      body: {
        code: 'request/rate_limited',
        reason: 'quota/uploads_in_flight',
        fields: [{ path: 'quota.uploadsInFlight' }],
      },
    });
    expect(Number(a.retryAfter)).toBeGreaterThanOrEqual(1);
  };

  it('answers a second concurrent upload 429 quota/uploads_in_flight, and accepts the next once the first is done', async () => {
    const reporter = await signedInReporter(api.url);
    const reportId = await newReport(reporter);
    const big = encryptAttachment(new Uint8Array(400_000).fill(5), generateAttachmentKey());
    const small = encryptAttachment(new Uint8Array(1_000).fill(6), generateAttachmentKey());
    const first = await heldUpload(reporter, reportId, big);
    expectInFlight(await upload(reporter, reportId, small));
    // Another reporter is not held up by it.
    const other = await signedInReporter(api.url);
    expect((await upload(other, await newReport(other), small)).status).toBe(201);
    expect((await first.finish()).status).toBe(201);
    expect((await upload(reporter, reportId, small)).status).toBe(201);
    expect(await stored(reportId)).toBe(2);
  });

  it('frees the reporter when an upload is refused or its client goes away mid-body', async () => {
    const reporter = await signedInReporter(api.url);
    const reportId = await newReport(reporter);
    const big = encryptAttachment(new Uint8Array(400_000).fill(7), generateAttachmentKey());
    const small = encryptAttachment(new Uint8Array(1_000).fill(8), generateAttachmentKey());
    // A refused upload (a truncated blob) ends its lease.
    expect((await upload(reporter, reportId, small.subarray(0, 30))).status).toBe(400);
    expect((await upload(reporter, reportId, small)).status).toBe(201);
    // A client that drops the connection mid-body: the lease goes with the request.
    const dropped = await heldUpload(reporter, reportId, big);
    await dropped.abort();
    const next = await waitFor(
      async () => {
        const a = await upload(reporter, reportId, small);
        if (a.status === 429 && a.body.reason === 'quota/uploads_in_flight') return null;
        return a;
      },
      { what: 'an upload accepted after the dropped one', timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(next.status).toBe(201);
    expect(await stored(reportId)).toBe(2);
  });

  it('takes over a lease its API left behind once it has expired, not before', async () => {
    const reporter = await signedInReporter(api.url);
    const reportId = await newReport(reporter);
    const small = encryptAttachment(new Uint8Array(1_000).fill(9), generateAttachmentKey());
    // An API that crashed mid-upload left its lease: live for a while, then expired.
    await rowsOf(
      db.url,
      `INSERT INTO reporter_upload_leases (reporter_id, upload_id, expires_at) VALUES ($1, $2, now() + interval '1 hour')`,
      [reporter.reporterId, randomUUID()],
    );
    expectInFlight(await upload(reporter, reportId, small));
    await rowsOf(
      db.url,
      `UPDATE reporter_upload_leases SET expires_at = now() - interval '1 second' WHERE reporter_id = $1`,
      [reporter.reporterId],
    );
    expect((await upload(reporter, reportId, small)).status).toBe(201);
    expect(
      await rowsOf(db.url, `SELECT 1 FROM reporter_upload_leases WHERE reporter_id = $1`, [
        reporter.reporterId,
      ]),
    ).toEqual([]);
  });
});
