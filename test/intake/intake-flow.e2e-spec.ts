import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import {
  attachmentHash,
  cryptoReady,
  decryptAttachment,
  deriveReporterKeys,
  encryptAttachment,
  fromB64u,
  generateAccessCode,
  generateAttachmentKey,
  openEnvelope,
  toB64u,
  utf8,
  type Envelope,
} from '@panah/crypto';
import { AttachmentService } from '@panah/intake';
import { RunningApp, startApi, startWorker } from '../support/apps';
import { testConfig } from '../support/config';
import { createTestDatabase, sql, TestDatabase } from '../support/database';
import {
  fetchDirectory,
  IntakeKeys,
  intakeKeys,
  publishDirectory,
  putReport,
  sealReport,
  signedDirectory,
  signedInReporter,
} from '../support/intake';
import { waitFor } from '../support/wait';

const DEPLOYMENT = 'test-deployment';

/** fetch's typings want an ArrayBuffer-backed view; libsodium hands out ArrayBufferLike ones. */
const bytes = (b: Uint8Array): ArrayBuffer => b.slice().buffer as ArrayBuffer;

/** Every row of every table as text (bytea as hex): where a leaked plaintext would show. */
async function tablesContaining(url: string, needle: string): Promise<string[]> {
  const pg = await sql(url);
  try {
    const tables = (await pg.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)).rows as {
      tablename: string;
    }[];
    const hex = Buffer.from(needle).toString('hex');
    const hits: string[] = [];
    for (const { tablename } of tables) {
      const { rows } = await pg.query(
        `SELECT count(*)::int AS n FROM "${tablename}" t WHERE t::text LIKE $1 OR t::text LIKE $2`,
        [`%${needle}%`, `%${hex}%`],
      );
      if (rows[0].n > 0) hits.push(tablename);
    }
    return hits;
  } finally {
    await pg.close();
  }
}

/** Every key under the test's prefix, with its value, as one string. */
async function redisDump(prefix: string): Promise<string> {
  const redis = new Redis({ host: '127.0.0.1', port: 6379 });
  try {
    const parts: string[] = [];
    for (const key of await redis.keys(`${prefix}:*`)) {
      const type = await redis.type(key);
      const value =
        type === 'string'
          ? await redis.get(key)
          : type === 'hash'
            ? await redis.hgetall(key)
            : type === 'list'
              ? await redis.lrange(key, 0, -1)
              : type === 'zset'
                ? await redis.zrange(key, 0, -1)
                : type === 'set'
                  ? await redis.smembers(key)
                  : type === 'stream'
                    ? await redis.xrange(key, '-', '+')
                    : null;
      parts.push(key, JSON.stringify(value));
    }
    return parts.join('\n');
  } finally {
    redis.disconnect();
  }
}

describe('reporter intake, end to end', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let worker: RunningApp;
  let keys: IntakeKeys;
  let prefix: string;

  beforeAll(async () => {
    await cryptoReady();
    db = await createTestDatabase();
    keys = await intakeKeys(2);
    const config = testConfig(db.url, { ...keys.env, ATTACHMENT_MAX_BYTES: String(512 * 1024) });
    prefix = config.redis.prefix;
    api = await startApi(config);
    worker = await startWorker(config);
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await db?.drop();
  });

  it('answers 404 for the directory until one is published, and refuses reports meanwhile', async () => {
    expect((await fetch(`${api.url}/v1/keys/directory`)).status).toBe(404);
    const reporter = await signedInReporter(api.url);
    const res = await putReport(api.url, reporter, sealReport(reporter, [keys.staff[0].publicKey], '{}'));
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ reason: 'directory/not_published' });
  });

  it('carries a report with two attachments from a fresh access code to a staff key, leaving no plaintext anywhere', async () => {
    const canary = `canary-${randomUUID()}`;
    await publishDirectory(api, signedDirectory(keys, DEPLOYMENT, 1));

    const meta = (await (await fetch(`${api.url}/v1/meta`)).json()) as { deploymentId: string };
    expect(meta.deploymentId).toBe(DEPLOYMENT);
    const derived = deriveReporterKeys(generateAccessCode(), meta.deploymentId);
    const reporter = await signedInReporter(api.url, derived);
    expect(reporter.reporterId).toBe(derived.reporterId);

    const directory = await fetchDirectory(api.url, keys, meta.deploymentId);
    const files = [utf8(`first file ${canary} `.repeat(3000)), utf8(`second ${canary}`)];
    const reportId = randomUUID();
    const refs = files.map((plain) => {
      const key = generateAttachmentKey();
      return {
        id: randomUUID(),
        key: toB64u(key),
        name: 'evidence.txt',
        mime: 'text/plain',
        size: plain.length,
        hash: toB64u(attachmentHash(plain)),
        blob: encryptAttachment(plain, key),
      };
    });
    const plaintext = JSON.stringify({
      schema: 'report/v1',
      narrative: `They said my name on television. ${canary}`,
      attachments: refs.map(({ blob: _b, ...r }) => r),
    });
    const envelope = sealReport(reporter, directory.publicKeys, plaintext, reportId);

    const put = await putReport(api.url, reporter, envelope, {
      category: 'kill_list',
      imminence: 'days',
      country: 'DE',
      perpetrator: 'regime_intelligence',
      namedOnList: true,
      language: 'prs',
    });
    expect(put.status).toBe(201);
    expect(await put.json()).toMatchObject({ id: reportId, status: 'received' });
    for (const ref of refs) {
      const up = await fetch(`${api.url}/v1/reports/${reportId}/attachments/${ref.id}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream', ...reporter.auth },
        body: bytes(ref.blob),
      });
      expect(up.status).toBe(201);
      expect(await up.json()).toEqual({ id: ref.id, size: ref.blob.length });
    }

    // The reporter sees their report (and, once triage ran, its status moves on).
    const mine = (await (
      await fetch(`${api.url}/v1/reports/${reportId}`, { headers: reporter.auth })
    ).json()) as { attachments: unknown[] };
    expect(mine.attachments).toHaveLength(2);
    await waitFor(
      async () => {
        const r = (await (
          await fetch(`${api.url}/v1/reports/${reportId}`, { headers: reporter.auth })
        ).json()) as { status: string };
        return r.status === 'triaged';
      },
      { what: 'report triaged' },
    );

    // A staff key in the directory opens exactly what was sent.
    const pg = await sql(db.url);
    const stored = (await pg.query(`SELECT envelope FROM reports WHERE id = $1`, [reportId])).rows[0]
      .envelope as Envelope;
    await pg.close();
    const opened = JSON.parse(new TextDecoder().decode(openEnvelope(stored, keys.staff[1]))) as {
      narrative: string;
      attachments: { id: string; key: string; hash: string }[];
    };
    expect(opened.narrative).toContain(canary);
    for (const [i, ref] of opened.attachments.entries()) {
      const blob = await api.app.get(AttachmentService).read(reportId, ref.id);
      const plain = decryptAttachment(new Uint8Array(blob as Buffer), fromB64u(ref.key));
      expect(Buffer.from(plain).equals(Buffer.from(files[i]))).toBe(true);
      expect(toB64u(attachmentHash(plain))).toBe(ref.hash);
    }

    // The canary is in no table, no log line and no Redis key or value.
    expect(await tablesContaining(db.url, canary)).toEqual([]);
    expect(api.logs.containing(canary, 'kill_list', 'regime_intelligence')).toEqual([]);
    expect(worker.logs.containing(canary, 'kill_list', 'regime_intelligence')).toEqual([]);
    const dump = await redisDump(prefix);
    expect(dump).toContain('report.submitted');
    expect(dump).not.toContain(canary);
    expect(dump).not.toContain('kill_list');
    // Hints are stored encrypted (crypto-v1 §6), never in the clear.
    expect(await tablesContaining(db.url, 'regime_intelligence')).toEqual([]);
  });

  it("keeps every reporter to their own reports: someone else's is a 404 like a missing one", async () => {
    const alice = await signedInReporter(api.url);
    const bob = await signedInReporter(api.url);
    const envelope = sealReport(alice, [keys.staff[0].publicKey], '{"schema":"report/v1"}');
    expect((await putReport(api.url, alice, envelope)).status).toBe(201);
    const asBob = await fetch(`${api.url}/v1/reports/${envelope.id}`, { headers: bob.auth });
    const missing = await fetch(`${api.url}/v1/reports/${randomUUID()}`, { headers: bob.auth });
    expect(asBob.status).toBe(404);
    expect(await asBob.json()).toEqual(await missing.json());
    const list = (await (await fetch(`${api.url}/v1/reports`, { headers: bob.auth })).json()) as {
      items: unknown[];
    };
    expect(list.items).toEqual([]);
    const upload = await fetch(`${api.url}/v1/reports/${envelope.id}/attachments/${randomUUID()}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', ...bob.auth },
      body: bytes(encryptAttachment(utf8('x'), generateAttachmentKey())),
    });
    expect(upload.status).toBe(404);
    expect((await fetch(`${api.url}/v1/reports`)).status).toBe(401);
    expect((await fetch(`${api.url}/v1/messages`, { headers: alice.auth })).status).toBe(200);
  });

  it('refuses an envelope or hints with a property named like an Object.prototype member (the validation pipe would drop it) with a 400 naming it, and stores nothing', async () => {
    const reporter = await signedInReporter(api.url);
    const envelope = sealReport(reporter, [keys.staff[0].publicKey], '{"schema":"report/v1"}');
    const put = (body: string) =>
      fetch(`${api.url}/v1/reports/${envelope.id}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', ...reporter.auth },
        body,
      });
    const cases: [string, string][] = [
      [JSON.stringify({ envelope: { ...envelope, toString: { '': 1 } } }), 'envelope.toString'],
      [JSON.stringify({ envelope: { ...envelope, constructor: 5 } }), 'envelope.constructor'],
      [
        JSON.stringify({ envelope }).replace(/}$/, ',"hints":{"category":"other","__proto__":{"x":1}}}'),
        'hints.__proto__',
      ],
      [
        JSON.stringify({ envelope: { ...envelope, author: { ...envelope.author, valueOf: [] } } }),
        'envelope.author.valueOf',
      ],
    ];
    for (const [body, path] of cases) {
      const res = await put(body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'request/validation_failed', fields: [{ path }] });
    }
    expect((await fetch(`${api.url}/v1/reports/${envelope.id}`, { headers: reporter.auth })).status).toBe(
      404,
    );
    expect((await putReport(api.url, reporter, envelope)).status).toBe(201); // the same report, well-formed
  });

  it('answers a retried PUT with the stored result and a different body under the same id with 409', async () => {
    const reporter = await signedInReporter(api.url);
    const envelope = sealReport(reporter, [keys.staff[0].publicKey], '{"schema":"report/v1"}');
    const first = await putReport(api.url, reporter, envelope, { category: 'surveillance' });
    const again = await putReport(api.url, reporter, envelope, { category: 'surveillance' });
    expect([first.status, again.status]).toEqual([201, 200]);
    const a = (await first.json()) as { receivedAt: string };
    expect(((await again.json()) as { receivedAt: string }).receivedAt).toBe(a.receivedAt);
    const otherHints = await putReport(api.url, reporter, envelope, { category: 'kill_list' });
    expect(otherHints.status).toBe(409);
    expect(await otherHints.json()).toMatchObject({ reason: 'report/conflict', fields: [{ path: 'id' }] });
    const otherBody = await putReport(
      api.url,
      reporter,
      sealReport(reporter, [keys.staff[0].publicKey], '{"schema":"report/v1","x":1}', envelope.id),
    );
    expect(otherBody.status).toBe(409);
  });

  it.each([
    [
      'an unknown recipient kid',
      (e: Envelope) => ({
        envelope: { ...e, recipients: [{ ...e.recipients[0], kid: toB64u(new Uint8Array(16)) }] },
      }),
      400,
      'envelope/unknown_recipient',
      'envelope.recipients[0].kid',
    ],
    [
      'bad base64',
      (e: Envelope) => ({ envelope: { ...e, nonce: `${e.nonce.slice(0, -1)}+` } }),
      400,
      'envelope/bad_format',
      'envelope.nonce',
    ],
    [
      'a wrong length',
      (e: Envelope) => ({ envelope: { ...e, author: { ...e.author, sig: toB64u(new Uint8Array(63)) } } }),
      400,
      'envelope/bad_format',
      'envelope.author.sig',
    ],
    [
      'a bad signature',
      (e: Envelope) => ({ envelope: { ...e, author: { ...e.author, sig: toB64u(new Uint8Array(64)) } } }),
      400,
      'envelope/bad_signature',
      'envelope.author.sig',
    ],
    [
      'an unknown hint value',
      (e: Envelope) => ({ envelope: e, hints: { category: 'pizza' } }),
      400,
      'hints/unknown_value',
      'hints.category',
    ],
    [
      'an unknown hint',
      (e: Envelope) => ({ envelope: e, hints: { name: 'Ahmad' } }),
      400,
      'hints/unknown_field',
      'hints.name',
    ],
    [
      'an id mismatch',
      (e: Envelope) => ({ envelope: { ...e, id: randomUUID() } }),
      400,
      'envelope/id_mismatch',
      'envelope.id',
    ],
    [
      'a wrong kind',
      (e: Envelope) => ({ envelope: { ...e, kind: 'note' } }),
      400,
      'envelope/bad_format',
      'envelope.kind',
    ],
    [
      'a retired v1 envelope',
      (e: Envelope) => ({ envelope: { ...e, v: 1 } }),
      400,
      'envelope/v1_retired',
      'envelope.v',
    ],
    [
      'a recipient dropped after signing (v2 signs the recipients)',
      (e: Envelope) => ({ envelope: { ...e, recipients: e.recipients.slice(0, 1) } }),
      400,
      'envelope/bad_signature',
      'envelope.author.sig',
    ],
    [
      'an unknown top-level field',
      (e: Envelope) => ({ envelope: e, reporterName: 'x' }),
      400,
      undefined,
      'reporterName',
    ],
  ])(
    'refuses %s with a 4xx naming the problem and stores nothing',
    async (_what, mutate, status, reason, path) => {
      const reporter = await signedInReporter(api.url);
      const envelope = sealReport(
        reporter,
        [keys.staff[0].publicKey, keys.staff[1].publicKey],
        '{"schema":"report/v1"}',
      );
      const res = await fetch(`${api.url}/v1/reports/${envelope.id}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', ...reporter.auth },
        body: JSON.stringify(mutate(envelope)),
      });
      expect(res.status).toBe(status);
      const body = (await res.json()) as { reason?: string; fields: { path: string }[] };
      if (reason) expect(body.reason).toBe(reason);
      expect(body.fields.map((f) => f.path)).toContain(path);
      const pg = await sql(db.url);
      expect(
        (
          await pg.query(`SELECT count(*)::int AS n FROM reports WHERE reporter_id = $1`, [
            reporter.reporterId,
          ])
        ).rows[0].n,
      ).toBe(0);
      await pg.close();
    },
  );

  it('refuses an oversized body with a JSON 413', async () => {
    const reporter = await signedInReporter(api.url);
    const envelope = sealReport(reporter, [keys.staff[0].publicKey], 'x'.repeat(1_200_000));
    const res = await putReport(api.url, reporter, envelope);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'request/payload_too_large' });
  });

  it('stores attachments idempotently, and refuses other bytes, oversize and truncated blobs', async () => {
    const reporter = await signedInReporter(api.url);
    const envelope = sealReport(reporter, [keys.staff[0].publicKey], '{"schema":"report/v1"}');
    expect((await putReport(api.url, reporter, envelope)).status).toBe(201);
    const up = (id: string, body: Uint8Array, type = 'application/octet-stream') =>
      fetch(`${api.url}/v1/reports/${envelope.id}/attachments/${id}`, {
        method: 'PUT',
        headers: { 'content-type': type, ...reporter.auth },
        body: bytes(body),
      });
    const blob = encryptAttachment(utf8('photo'.repeat(20_000)), generateAttachmentKey());
    const id = randomUUID();
    expect((await up(id, blob)).status).toBe(201);
    expect((await up(id, blob)).status).toBe(200);
    const other = await up(id, encryptAttachment(utf8('photo'.repeat(20_000)), generateAttachmentKey()));
    expect(other.status).toBe(409);
    expect(await other.json()).toMatchObject({ reason: 'attachment/conflict' });
    const big = await up(
      randomUUID(),
      encryptAttachment(new Uint8Array(600 * 1024), generateAttachmentKey()),
    );
    expect(big.status).toBe(413);
    const truncated = await up(randomUUID(), blob.subarray(0, 30));
    expect(truncated.status).toBe(400);
    expect(await truncated.json()).toMatchObject({ reason: 'attachment/impossible_size' });
    expect((await up(randomUUID(), blob, 'application/json')).status).toBeGreaterThanOrEqual(400);
    const pg = await sql(db.url);
    const rows = (
      await pg.query(`SELECT count(*)::int AS n FROM report_attachments WHERE report_id = $1`, [envelope.id])
    ).rows[0].n;
    const orphans = (
      await pg.query(
        `SELECT count(*)::int AS n FROM attachment_chunks c WHERE NOT EXISTS (SELECT 1 FROM report_attachments a WHERE a.upload_id = c.upload_id)`,
      )
    ).rows[0].n;
    await pg.close();
    expect(rows).toBe(1);
    expect(orphans).toBe(0);
  });

  it('refuses an empty, blank, NUL-containing or malformed reporter id with a 400 naming the field, on sign-in and on report and attachment ids', async () => {
    const json = { 'content-type': 'application/json' };
    const valid = await signedInReporter(api.url);
    const badIds = ['', ' ', ' '.repeat(22), '\t\n', '\u0000', `${valid.reporterId.slice(0, 21)}\u0000`, 'x'];
    for (const reporterId of badIds) {
      const challenge = await fetch(`${api.url}/v1/reporters/challenges`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ reporterId }),
      });
      expect({ reporterId, status: challenge.status }).toEqual({ reporterId, status: 400 });
      expect(await challenge.json()).toMatchObject({
        code: 'request/validation_failed',
        fields: [{ path: 'reporterId' }],
      });
      const session = await fetch(`${api.url}/v1/reporters/sessions`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ reporterId, challenge: 'A'.repeat(43), signature: 'A'.repeat(86) }),
      });
      expect({ reporterId, status: session.status }).toEqual({ reporterId, status: 400 });
      expect(await session.json()).toMatchObject({
        code: 'request/validation_failed',
        fields: [{ path: 'reporterId' }],
      });
    }
    // A well-formed id, known or not, still gets a challenge (sign-in tells no one who exists).
    for (const reporterId of [valid.reporterId, 'FAKE-reporter-AAAAAAAA']) {
      const res = await fetch(`${api.url}/v1/reporters/challenges`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ reporterId }),
      });
      expect(res.status).toBe(201);
    }
    // Report and attachment ids in the path: blank or NUL-containing ones are a 400 naming them.
    const auth = { authorization: `Bearer ${valid.token}` };
    for (const id of ['%20', '%00', `${randomUUID().slice(0, 35)}%00`]) {
      const report = await fetch(`${api.url}/v1/reports/${id}`, {
        method: 'PUT',
        headers: { ...auth, ...json },
        body: JSON.stringify({ envelope: {} }),
      });
      expect(report.status).toBe(400);
      expect(await report.json()).toMatchObject({ fields: [{ path: 'id' }] });
      const attachment = await fetch(`${api.url}/v1/reports/${randomUUID()}/attachments/${id}`, {
        method: 'PUT',
        headers: { ...auth, 'content-type': 'application/octet-stream' },
        body: new Uint8Array(100),
      });
      expect(attachment.status).toBe(400);
      expect(await attachment.json()).toMatchObject({ fields: [{ path: 'attachmentId' }] });
    }
  });
});
