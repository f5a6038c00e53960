/**
 * `npm run bench:intake`: sustained `PUT /v1/reports/{id}` throughput (4 KiB envelope, realistic
 * hints) and latency, next to a plain pgbench transaction inserting the same two rows (report +
 * outbox) in the same database in the same run, and their ratio; then latency at 80 % of the
 * sustained rate. Issue 5 target: ratio >= 0.4, p99 < 50 ms at 80 %.
 * The API runs in this process (like bench/health), so it shares the CPU with the load generator.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cryptoReady, randomBytes } from '@panah/crypto';
import { startApi } from '../test/support/apps';
import { testConfig } from '../test/support/config';
import { createTestDatabase, sql } from '../test/support/database';
import {
  intakeKeys,
  publishDirectory,
  sealReport,
  signedDirectory,
  signedInReporter,
  type TestReporter,
} from '../test/support/intake';
import { configEnv, constantRateLoad, httpLoad, percentile, printHttpLoad, spawnApp } from './harness';

const CONNECTIONS = 16;
const REPORTERS = 64;
const SECONDS = 10;
const HINTS = {
  category: 'direct_threat',
  imminence: 'days',
  country: 'DE',
  perpetrator: 'regime_intelligence',
  namedOnList: false,
  language: 'prs',
};

/** Pre-sealed request bodies (sealing is the client's work, not the server's). */
function bodies(
  reporter: TestReporter,
  recipients: Uint8Array[],
  n: number,
): { path: string; body: string; headers: Record<string, string> }[] {
  const plaintext = JSON.stringify({
    schema: 'report/v1',
    narrative: Buffer.from(randomBytes(3000)).toString('base64'),
  }); // ~4 KiB
  return Array.from({ length: n }, () => {
    const envelope = sealReport(reporter, recipients, plaintext, randomUUID());
    return {
      path: `/v1/reports/${envelope.id}`,
      body: JSON.stringify({ envelope, hints: HINTS }),
      headers: { 'content-type': 'application/json', ...reporter.auth },
    };
  });
}

export async function run(): Promise<void> {
  await cryptoReady();
  const db = await createTestDatabase();
  const keys = await intakeKeys(3);
  // Reports are counted per reporter and day (REPORTER_QUOTA_REPORTS_PER_DAY, a counter row each):
  // the load comes from REPORTERS reporters under a quota it never reaches.
  const config = testConfig(db.url, {
    ...keys.env,
    LOG_LEVEL: 'warn',
    DATABASE_POOL_SIZE: '20',
    REPORTER_QUOTA_REPORTS_PER_DAY: '100000',
    // REPORTERS registrations exceed one source's hourly limit (30): each comes from its own
    // address, as behind a reverse proxy (TRUST_PROXY=1 reads X-Forwarded-For).
    TRUST_PROXY: '1',
  });
  // The directory is published through an in-process API (its service), then the load goes to
  // the built API running as its own process, as in production.
  const setup = await startApi(config);
  await publishDirectory(setup, signedDirectory(keys, 'test-deployment'));
  await setup.close();
  const api = await spawnApp('api', configEnv(config, keys.env));
  try {
    // Without a worker nothing contends on a reporter but their own daily counter row.
    const reporters: TestReporter[] = [];
    for (let i = 0; i < REPORTERS; i++)
      reporters.push(
        await signedInReporter(api.url, undefined, { 'x-forwarded-for': `198.51.100.${i + 1}` }),
      );
    const reporter = reporters[0];
    const recipients = keys.staff.map((s) => s.publicKey);
    const perReporter = reporters.map((r) => bodies(r, recipients, Math.ceil(60_000 / REPORTERS)));
    // Interleaved, so consecutive requests come from different reporters.
    const pool = perReporter[0].flatMap((_, i) => perReporter.map((b) => b[i]));
    let next = 0;
    const load = (scenario: string) =>
      httpLoad({
        scenario,
        url: `${api.url}/v1/reports/${randomUUID()}`,
        method: 'PUT',
        connections: CONNECTIONS,
        durationSeconds: SECONDS,
        headers: { 'content-type': 'application/json', ...reporter.auth },
        setupRequest: () => {
          const b = pool[next++ % pool.length];
          return { path: b.path, body: b.body, headers: b.headers };
        },
      });

    await load('warm-up'); // JIT, pool, caches; figures not printed
    const sustained = await load('PUT /v1/reports (max)');

    // Latency at fixed fractions of the sustained rate, each at a constant (open-loop) rate: not
    // autocannon's overallRate, which sends each second's quota in a burst.
    const atRate = (fraction: number) =>
      constantRateLoad({
        scenario: `PUT /v1/reports (${Math.round(fraction * 100)} %)`,
        url: api.url,
        ratePerSecond: Math.max(1, Math.floor(sustained.requestsPerSecond * fraction)),
        durationSeconds: SECONDS,
        connections: 64,
        next: () => {
          const b = pool[next++ % pool.length];
          return {
            method: 'PUT',
            path: b.path,
            body: b.body,
            headers: b.headers,
          };
        },
      });
    const curve = [];
    for (const fraction of (process.env.BENCH_INTAKE_FRACTIONS ?? '0.5,0.8').split(',').map(Number))
      curve.push(await atRate(fraction));
    const at80 = curve[curve.length - 1];

    // pgbench: the same two rows in one transaction, same database, same client count.
    const sample = JSON.parse(pool[0].body) as { envelope: unknown };
    const script = join(tmpdir(), `panah-intake-${process.pid}.sql`);
    const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;
    writeFileSync(
      script,
      [
        'BEGIN;',
        `INSERT INTO reports (id, reporter_id, envelope, hints, request_digest, directory_serial) VALUES (gen_random_uuid(), ${lit(reporter.reporterId)}, ${lit(JSON.stringify(sample.envelope))}::jsonb, ${lit(`v1.t1.${'A'.repeat(32)}.${'B'.repeat(200)}`)}, ${lit('C'.repeat(43))}, 1) RETURNING id \\gset`,
        `INSERT INTO outbox (job_name, payload, job_id) VALUES ('report.submitted', jsonb_build_object('reportId', :id::text), 'report-submitted-' || :id::text);`,
        'COMMIT;',
      ].join('\n'),
    );
    // -M extended: variables are bound parameters, as the API's queries are.
    const out = execFileSync(
      'pgbench',
      [
        '-n',
        '-M',
        'extended',
        '-f',
        script,
        '-c',
        String(CONNECTIONS),
        '-j',
        '2',
        '-T',
        String(SECONDS),
        db.url,
      ],
      { encoding: 'utf8' },
    );
    const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? NaN);
    const pgLatency = /latency average = ([\d.]+) ms/.exec(out)?.[1];
    // The database's own tail: pgbench throttled (-R) to 80 % of its rate, latency from each
    // transaction's scheduled start (as constantRateLoad measures the API), from its per-transaction log.
    const logDir = mkdtempSync(join(tmpdir(), 'panah-pgbench-'));
    execFileSync(
      'pgbench',
      [
        '-n',
        '-M',
        'extended',
        '-f',
        script,
        '-c',
        String(CONNECTIONS),
        '-j',
        '2',
        '-T',
        String(SECONDS),
        '-R',
        String(Math.floor(tps * 0.8)),
        '-l',
        '--log-prefix',
        join(logDir, 'tx'),
        db.url,
      ],
      { encoding: 'utf8' },
    );
    const pgLatencies = readdirSync(logDir).flatMap((f) =>
      readFileSync(join(logDir, f), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => Number(line.split(' ')[2]) / 1000),
    );
    rmSync(logDir, { recursive: true, force: true });

    console.log('scenario                        throughput      latency');
    printHttpLoad(sustained);
    console.log(
      `${'pgbench (same two rows)'.padEnd(28)} ${tps.toFixed(0).padStart(8)} tx/s    avg ${pgLatency} ms   (${CONNECTIONS} clients)`,
    );
    console.log(
      `${'pgbench (80 %)'.padEnd(28)} ${(tps * 0.8).toFixed(0).padStart(8)} tx/s    p50 ${percentile(pgLatencies, 50).toFixed(1).padStart(6)} ms   p99 ${percentile(pgLatencies, 99).toFixed(1).padStart(6)} ms   (the database alone, same rows)`,
    );
    console.log(`ratio API / pgbench: ${(sustained.requestsPerSecond / tps).toFixed(2)}   (target >= 0.4)`);
    for (const r of curve) printHttpLoad(r);
    console.log(`p99 at 80 % of the sustained rate: ${at80.p99Ms.toFixed(1)} ms   (target < 50 ms)`);
    const pg = await sql(db.url);
    const counts = await pg.query(
      `SELECT (SELECT count(*) FROM reports)::int AS reports, (SELECT count(*) FROM outbox)::int AS outbox`,
    );
    await pg.close();
    console.log(
      `rows: ${JSON.stringify(counts.rows[0])} (reports = outbox rows: every accepted report announced once)`,
    );
    if (next > pool.length)
      console.log(`note: ${next - pool.length} requests reused a body (answered as idempotent replays)`);
  } finally {
    await api.close();
    await db.drop();
  }
}
