/**
 * `npm run bench:triage`: end-to-end latency from a report's acceptance (its row's received_at)
 * to its case being opened or raised (triaged_at, stamped with clock_timestamp() at the end of
 * the triage transaction), at a sustained submission rate, through the outbox relay, BullMQ and
 * the triage processor. Issue 6 target: p99 < 250 ms at 200 reports/s.
 * API, worker and load generator share this process (and the machine's CPUs).
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { cryptoReady, randomBytes } from '@panah/crypto';
import { startApi, startWorker } from '../test/support/apps';
import { testConfig } from '../test/support/config';
import { createTestDatabase, sql } from '../test/support/database';
import { intakeKeys, publishDirectory, sealReport, signedDirectory, insertedReporter, type TestReporter } from '../test/support/intake';
import { waitFor } from '../test/support/wait';

const RATE = Number(process.env.BENCH_TRIAGE_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_TRIAGE_SECONDS ?? 15);
const REPORTERS = 200;
const CATEGORIES = ['kill_list', 'direct_threat', 'surveillance', 'family_threatened', 'online_harassment', 'other'];
const COUNTRIES = ['DE', 'AT', 'SE', 'FR', 'NL', 'GB', 'TR'];

export async function run(): Promise<void> {
  await cryptoReady();
  const db = await createTestDatabase();
  const keys = await intakeKeys(2);
  const config = testConfig(db.url, { ...keys.env, LOG_LEVEL: 'warn', OUTBOX_POLL_MS: '1000', DATABASE_POOL_SIZE: '20' });
  const api = await startApi(config);
  const worker = await startWorker(config);
  try {
    await publishDirectory(api, signedDirectory(keys, 'test-deployment'));
    const pg = await sql(db.url);
    pg.on('error', () => undefined); // dropping the database at the end ends this connection
    for (const [name, regions, languages] of [['Germany', ['DE', 'AT'], ['de']], ['Nordics', ['SE', 'NO', 'DK'], []], ['Dari desk', [], ['prs', 'fa']], ['Intake', [], []]] as const) {
      await pg.query(`INSERT INTO teams (id, name, regions, languages) VALUES ($1, $2, $3, $4)`, [randomUUID(), name, regions, languages]);
    }
    const reporters: TestReporter[] = [];
    for (let i = 0; i < REPORTERS; i++) reporters.push(await insertedReporter(db.url, config.tokenKey));
    const total = RATE * SECONDS;
    const plaintext = JSON.stringify({ schema: 'report/v1', narrative: Buffer.from(randomBytes(3000)).toString('base64') });
    const requests = Array.from({ length: total + RATE * 2 }, (_, i) => {
      const r = reporters[i % reporters.length];
      const envelope = sealReport(r, keys.staff.map((s) => s.publicKey), plaintext);
      const hints = i % 5 === 0 ? null : { category: CATEGORIES[i % CATEGORIES.length], country: COUNTRIES[i % COUNTRIES.length], language: i % 3 === 0 ? 'prs' : 'en' };
      return { path: `/v1/reports/${envelope.id}`, body: JSON.stringify(hints ? { envelope, hints } : { envelope }), authorization: r.auth.authorization };
    });
    let next = 0;
    const started = new Date();
    const result = await autocannon({
      url: `${api.url}/v1/reports/${randomUUID()}`,
      method: 'PUT',
      connections: 32,
      overallRate: RATE,
      amount: total,
      requests: [
        {
          setupRequest: (req: autocannon.Request) => {
            const r = requests[next++];
            return { ...req, path: r.path, body: r.body, headers: { 'content-type': 'application/json', authorization: r.authorization } };
          },
        },
      ],
    });
    const accepted = result.requests.total - result.non2xx;
    await waitFor(async () => {
      const { rows } = await pg.query(`SELECT count(*)::int AS n FROM reports WHERE status = 'received' AND received_at >= $1`, [started]);
      return rows[0].n === 0;
    }, { timeoutMs: 120_000, intervalMs: 250, what: 'every report triaged' });
    const { rows } = await pg.query(
      `SELECT count(*)::int AS n,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99,
              max(ms) AS max
         FROM (SELECT extract(epoch FROM triaged_at - received_at) * 1000 AS ms FROM reports WHERE received_at >= $1) t`,
      [started],
    );
    const cases = await pg.query(`SELECT count(*)::int AS n FROM cases`);
    await pg.close();
    const s = rows[0] as { n: number; p50: number; p99: number; max: number };
    console.log(`submitted ${accepted} reports at ${RATE}/s for ${SECONDS} s (${result.non2xx} non-2xx, ${result.errors} errors); PUT p50 ${result.latency.p50} ms p99 ${result.latency.p99} ms`);
    console.log(`accepted → case opened/raised: p50 ${s.p50.toFixed(1)} ms   p99 ${s.p99.toFixed(1)} ms   max ${Number(s.max).toFixed(1)} ms   over ${s.n} reports, ${cases.rows[0].n} cases   (target p99 < 250 ms)`);
  } catch (error) {
    console.error(`triage bench failed: ${error instanceof Error ? error.stack : String(error)}`);
    throw error;
  } finally {
    await worker.close();
    await api.close();
    await db.drop();
  }
}
