import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { cryptoReady, type Envelope, toB64u } from '@panah/crypto';
import { HINT_CATEGORIES, HINT_IMMINENCE, HINT_LANGUAGES, HINT_PERPETRATORS } from '@panah/domain';
import { RunningApp, startApi } from '../support/apps';
import { testConfig } from '../support/config';
import { createTestDatabase, sql, TestDatabase } from '../support/database';
import {
  intakeKeys,
  publishDirectory,
  sealReport,
  signedDirectory,
  signedInReporter,
  TestReporter,
} from '../support/intake';

type Body = Record<string, unknown>;
type Mutation = (body: { envelope: Body; hints?: unknown }) => unknown;

const notA = (values: readonly string[]) => fc.string({ maxLength: 30 }).filter((s) => !values.includes(s));
const junk = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);
const badB64 = fc
  .tuple(fc.string({ maxLength: 40 }), fc.constantFrom('+', '/', '=', ' ', '.', 'é', '\n'))
  .map(([s, c]) => `${s}${c}`);
const wrongLength = (exact: number) =>
  fc
    .integer({ min: 0, max: 120 })
    .filter((n) => n !== exact)
    .map((n) => toB64u(new Uint8Array(n).fill(7)));
// Mutations compose, so each tolerates an earlier one having replaced what it expects.
const obj = (x: unknown): Body =>
  typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Body) : {};
const withEnvelope =
  (f: (e: Body) => Body): Mutation =>
  (b) => ({ ...obj(b), envelope: f(obj(obj(b).envelope)) });
const recipient = (e: Body): Body =>
  obj(Array.isArray(e.recipients) ? (e.recipients as unknown[])[0] : undefined);

/** Each mutation makes a valid submission invalid in one specific way. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc
    .tuple(fc.constantFrom('v', 'kind', 'id', 'nonce', 'ct', 'recipients', 'author'), junk)
    .filter(([f, v]) => !(f === 'v' && v === 2)) // v: 2 is the valid value
    .map(([f, v]) => withEnvelope((e) => ({ ...e, [f]: v }))),
  fc.tuple(fc.constantFrom('nonce', 'ct'), badB64).map(([f, v]) => withEnvelope((e) => ({ ...e, [f]: v }))),
  fc
    .tuple(fc.constantFrom('v', 'kind', 'id', 'nonce', 'ct', 'recipients', 'author'), fc.constant(0))
    .map(([f]) => withEnvelope((e) => Object.fromEntries(Object.entries(e).filter(([k]) => k !== f)))),
  wrongLength(24).map((v) => withEnvelope((e) => ({ ...e, nonce: v }))),
  wrongLength(80).map((v) => withEnvelope((e) => ({ ...e, recipients: [{ ...recipient(e), wk: v }] }))),
  wrongLength(16).map((v) => withEnvelope((e) => ({ ...e, recipients: [{ ...recipient(e), kid: v }] }))),
  fc
    .oneof(wrongLength(64), badB64, junk)
    .map((v) => withEnvelope((e) => ({ ...e, author: { ...obj(e.author), sig: v } }))),
  fc
    .uint8Array({ minLength: 64, maxLength: 64 })
    .map((b) => withEnvelope((e) => ({ ...e, author: { ...obj(e.author), sig: toB64u(b) } }))),
  fc
    .uint8Array({ minLength: 16, maxLength: 16 })
    .map((b) => withEnvelope((e) => ({ ...e, recipients: [{ ...recipient(e), kid: toB64u(b) }] }))),
  fc
    .integer({ min: 65, max: 70 })
    .map((n) => withEnvelope((e) => ({ ...e, recipients: Array.from({ length: n }, () => recipient(e)) }))),
  fc.constant(withEnvelope((e) => ({ ...e, recipients: [] }))),
  fc.constant(withEnvelope((e) => ({ ...e, recipients: [recipient(e), recipient(e)] }))),
  fc.constant(withEnvelope((e) => ({ ...e, id: randomUUID() }))),
  notA(['report']).map((k) => withEnvelope((e) => ({ ...e, kind: k }))),
  fc
    .tuple(fc.string({ minLength: 1, maxLength: 10 }), junk)
    .filter(([k]) => !['v', 'kind', 'id', 'nonce', 'ct', 'recipients', 'author'].includes(k))
    .map(([k, v]) => withEnvelope((e) => ({ ...e, [k]: v }))),
  notA(HINT_CATEGORIES).map((v): Mutation => (b) => ({ ...obj(b), hints: { category: v } })),
  notA(HINT_IMMINENCE).map((v): Mutation => (b) => ({ ...obj(b), hints: { imminence: v } })),
  notA(HINT_PERPETRATORS).map((v): Mutation => (b) => ({ ...obj(b), hints: { perpetrator: v } })),
  notA(HINT_LANGUAGES).map((v): Mutation => (b) => ({ ...obj(b), hints: { language: v } })),
  fc
    .string({ maxLength: 4 })
    .filter((s) => !/^[A-Z]{2}$/.test(s))
    .map((v): Mutation => (b) => ({ ...obj(b), hints: { country: v } })),
  fc
    .oneof(fc.string(), fc.integer(), fc.constant(null))
    .map((v): Mutation => (b) => ({ ...obj(b), hints: { namedOnList: v } })),
  fc
    .tuple(fc.string({ minLength: 1, maxLength: 12 }), junk)
    .filter(
      ([k]) => !['category', 'imminence', 'country', 'perpetrator', 'namedOnList', 'language'].includes(k),
    )
    .map(([k, v]): Mutation => (b) => ({ ...obj(b), hints: { [k]: v } })),
  fc
    .oneof(fc.string(), fc.integer(), fc.array(fc.string(), { maxLength: 2 }), fc.boolean())
    .map((v): Mutation => (b) => ({ ...obj(b), hints: v })),
  junk.map((v): Mutation => (b) => ({ ...obj(b), envelope: v })),
  fc.anything().map(
    (v): Mutation =>
      () =>
        v,
  ),
  fc
    .tuple(fc.string({ minLength: 1, maxLength: 10 }), junk)
    .filter(([k]) => !['envelope', 'hints'].includes(k))
    .map(([k, v]): Mutation => (b) => ({ ...obj(b), [k]: v })),
);

describe('fuzzing report intake', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let reporter: TestReporter;
  let valid: Envelope;

  beforeAll(async () => {
    await cryptoReady();
    db = await createTestDatabase();
    const keys = await intakeKeys(1);
    api = await startApi(testConfig(db.url, { ...keys.env, LOG_LEVEL: 'warn' }));
    await publishDirectory(api, signedDirectory(keys, 'test-deployment'));
    reporter = await signedInReporter(api.url);
    valid = sealReport(reporter, [keys.staff[0].publicKey], '{"schema":"report/v1"}');
  });
  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('answers 1,000+ malformed envelopes and hints with 4xx only, and writes nothing', async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const body = mutations.reduce<unknown>((b, m) => m(b as { envelope: Body }), {
          envelope: { ...valid },
          hints: { category: 'other' },
        });
        const res = await fetch(`${api.url}/v1/reports/${valid.id}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', ...reporter.auth },
          body: JSON.stringify(body) ?? 'null',
        });
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        const json = (await res.json()) as { code?: string };
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(typeof json.code).toBe('string');
      }),
      { numRuns: 1_200 },
    );
    const pg = await sql(db.url);
    const reports = await pg.query(`SELECT count(*)::int AS n FROM reports`);
    const outbox = await pg.query(`SELECT count(*)::int AS n FROM outbox`);
    await pg.close();
    expect({ reports: reports.rows[0].n, outbox: outbox.rows[0].n }).toEqual({ reports: 0, outbox: 0 });
    expect([...seen.keys()].every((s) => s >= 400 && s < 500)).toBe(true);
  });
});
