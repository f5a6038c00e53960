import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { testConfig } from '../test/support/config';
import { createTestDatabase, sql } from '../test/support/database';
import { configEnv, cpuMeter, percentile, spawnApp, type SpawnedApp } from './harness';

const PLANS = Number(process.env.BENCH_CHECKIN_PLANS ?? 100_000);
/** Deadlines start this long after setup (time to relay every deadline job into Redis)… */
const LEAD_MS = Number(process.env.BENCH_CHECKIN_LEAD_MS ?? 45_000);
/** …and are spread evenly over this window. */
const SPREAD_MS = Number(process.env.BENCH_CHECKIN_SPREAD_MS ?? 180_000);
/**
 * Percentage of plans whose reporter stays silent. The others checked in before their deadline
 * (their plan already points at tomorrow), so their deadline job still fires in the window and
 * must find nothing to do, as after a real check-in. 100 = everyone misses at once.
 */
const MISS_PERCENT = Number(process.env.BENCH_CHECKIN_MISS_PERCENT ?? 10);
/**
 * BENCH_CHECKIN_PREOPEN=1: every reporter already has an open critical case, so a miss raises it
 * (escalation finds nothing to change) instead of opening a new one. Separates the deadline
 * engine's own cost from escalating 100,000 brand-new cases in the same worker.
 */
const PREOPEN = process.env.BENCH_CHECKIN_PREOPEN === '1';
/** After the last deadline, wait at most this long for the backlog (keeps the run near 6 minutes). */
const TAIL_MS = Number(process.env.BENCH_CHECKIN_TAIL_MS ?? 120_000);

/**
 * `npm run bench -- checkins`: 100,000 active plans whose deadlines (grace 0) all fall due evenly
 * over a few minutes; BENCH_CHECKIN_MISS_PERCENT of the reporters (default 10 %) stay silent and
 * each of those must become a critical missed_checkin case with its escalation started, while
 * every other plan's deadline job fires and finds the reporter checked in. Prints alert lateness
 * (the moment the worker decided the miss, minus the promised alert time) p50/p99 and the
 * worker's memory. The worker runs as its own process (built, as in production); the plans are
 * written straight to PostgreSQL with the outbox rows the API would have written, so the run
 * measures the deadline engine, not plan creation.
 */
export async function run(): Promise<void> {
  const db = await createTestDatabase();
  const config = testConfig(db.url, {
    LOG_LEVEL: 'warn',
    DATABASE_POOL_SIZE: '40',
    OUTBOX_BATCH_SIZE: '1000',
    CHECKIN_CONCURRENCY: '64',
    CHECKIN_SWEEP_EVERY_MS: '1000',
  });
  const client = await sql(db.url);
  const memory = { peakRss: 0, rss: 0 };
  let worker: SpawnedApp | null = null;
  const sampler = setInterval(() => {
    if (!worker) return;
    const m = workerMemory(worker.pid);
    memory.peakRss = Math.max(memory.peakRss, m.peakRss);
    memory.rss = m.rss;
  }, 500);
  try {
    const t0 = Date.now() + LEAD_MS;
    await client.query(`INSERT INTO reporters (id) SELECT 'bench-' || g FROM generate_series(1, $1) g`, [
      PLANS,
    ]);
    const spec = {
      schedule: { kind: 'interval', everySeconds: 86_400 },
      graceSeconds: 0,
      remindersSecondsBefore: [],
      maxPauseSeconds: 0,
      missSeverity: 'critical',
    };
    // Deadline t for every plan; a silent reporter's plan still says t, a reporter who checked in
    // has a plan that already says t + 1 day (their job for t fires anyway and must do nothing).
    await client.query(
      `INSERT INTO checkin_plans (id, reporter_id, spec, next_deadline, alert_at)
       SELECT gen_random_uuid(), 'bench-' || g, $2::jsonb, t + d, t + d
         FROM generate_series(1, $1) g,
              LATERAL (SELECT to_timestamp(($3::bigint + (g - 1) * $4::bigint / $1) / 1000.0) AS t,
                              CASE WHEN (g * 7919) % 100 < $5 THEN interval '0' ELSE interval '1 day' END AS d) x`,
      [PLANS, JSON.stringify(spec), t0, SPREAD_MS, MISS_PERCENT],
    );
    const silent = await count(
      client,
      `SELECT count(*)::int AS n FROM checkin_plans WHERE alert_at < now() + interval '1 hour'`,
    );
    if (PREOPEN) {
      await client.query(
        `INSERT INTO cases (id, reporter_id, severity, deadline_at, reasons) SELECT gen_random_uuid(), reporter_id, 'critical', now() + interval '1 day', ARRAY['panic'] FROM checkin_plans`,
      );
    }
    await client.query(
      `CREATE TABLE bench_promises AS SELECT reporter_id, alert_at FROM checkin_plans WHERE alert_at < now() + interval '1 hour'`,
    );
    await client.query(`CREATE INDEX ON bench_promises (reporter_id)`);
    await client.query(
      `INSERT INTO outbox (job_name, payload, job_id, not_before)
       SELECT 'checkin.deadline', jsonb_build_object('planId', id), 'checkin-deadline-' || id || '-' || floor(extract(epoch FROM t) * 1000)::bigint, t
         FROM (SELECT id, CASE WHEN alert_at > now() + interval '1 hour' THEN alert_at - interval '1 day' ELSE alert_at END AS t FROM checkin_plans) p ORDER BY t`,
    );
    console.log(
      `${PREOPEN ? 'reporters with an open case (misses raise it): ' : ''}${PLANS} plans, deadlines from +${LEAD_MS / 1000} s over ${SPREAD_MS / 1000} s ` +
        `(${Math.round(PLANS / (SPREAD_MS / 1000))} deadline jobs/s), grace 0; ${silent} silent (${MISS_PERCENT} %: ${Math.round(silent / (SPREAD_MS / 1000))} alerts/s), the rest checked in`,
    );

    const started = Date.now();
    worker = await spawnApp(
      'worker',
      configEnv(config, {
        OUTBOX_BATCH_SIZE: '1000',
        CHECKIN_CONCURRENCY: '64',
        CHECKIN_SWEEP_EVERY_MS: '1000',
      }),
    );
    const cpu = cpuMeter({ worker: worker.pid });
    await waitUntil(
      async () =>
        (await count(
          client,
          `SELECT count(*)::int AS n FROM outbox WHERE job_name = 'checkin.deadline' AND relayed_at IS NULL`,
        )) === 0,
      LEAD_MS,
    );
    console.log(`deadline jobs relayed to Redis in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const lastDue = t0 + SPREAD_MS;
    let lastReport = 0;
    await waitUntil(
      async () => {
        const done = await count(
          client,
          `SELECT count(*)::int AS n FROM case_safety_events WHERE kind = 'missed_checkin'`,
        );
        if (Date.now() - lastReport >= 15_000) {
          lastReport = Date.now();
          const due = await count(
            client,
            `SELECT count(*)::int AS n FROM bench_promises WHERE alert_at <= now()`,
          );
          console.log(
            `  t+${((Date.now() - t0) / 1000).toFixed(0)} s: ${due} due, ${done} alerted, worker RSS ${mb(memory.rss)} MiB`,
          );
        }
        return done >= silent;
      },
      lastDue - Date.now() + TAIL_MS,
    ).catch(() => console.log(`  stopped waiting ${TAIL_MS / 1000} s after the last deadline`));

    const measuredAt = new Date();
    const cpuUsed = cpu();
    const rows = (
      await client.query<{ ms: number }>(
        `SELECT (extract(epoch FROM e.occurred_at - p.alert_at) * 1000)::float8 AS ms
           FROM case_safety_events e JOIN cases c ON c.id = e.case_id JOIN bench_promises p ON p.reporter_id = c.reporter_id
          WHERE e.kind = 'missed_checkin'`,
      )
    ).rows.map((r) => r.ms);
    const early = rows.filter((ms) => ms < 0).length;
    // Alerts still pending count with the lateness they have reached so far (a lower bound).
    const pending = (
      await client.query<{ ms: number }>(
        `SELECT (extract(epoch FROM $1::timestamptz - p.alert_at) * 1000)::float8 AS ms FROM bench_promises p
          WHERE NOT EXISTS (SELECT 1 FROM cases c JOIN case_safety_events e ON e.case_id = c.id AND e.kind = 'missed_checkin' WHERE c.reporter_id = p.reporter_id)`,
        [measuredAt],
      )
    ).rows.map((r) => r.ms);
    const all = [...rows, ...pending];
    const dup = await count(
      client,
      `SELECT count(*)::int AS n FROM (SELECT case_id FROM case_safety_events WHERE kind = 'missed_checkin' GROUP BY case_id HAVING count(*) > 1) d`,
    );
    const elapsed = (measuredAt.getTime() - t0) / 1000;
    console.log(
      `alerts: ${rows.length}/${silent} silent plans (early: ${early}, duplicated: ${dup}, still pending: ${pending.length}); ${(rows.length / elapsed).toFixed(0)} alerts/s since the first deadline`,
    );
    console.log(
      `alert lateness: p50 ${percentile(all, 50).toFixed(0)} ms, p99 ${percentile(all, 99).toFixed(0)} ms, max ${Math.max(...all).toFixed(0)} ms${pending.length ? ' (pending alerts counted at their lateness so far)' : ''}`,
    );
    console.log(
      `machine: ${cpus().length} CPUs, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} (shared with other runs)`,
    );
    console.log(`  ${cpuUsed}`);
    console.log(
      `worker memory (its own process): peak RSS ${mb(memory.peakRss)} MiB, at the end ${mb(memory.rss)} MiB`,
    );
  } finally {
    clearInterval(sampler);
    await (worker as SpawnedApp | null)?.close();
    await client.close();
    await db.drop();
  }
}

const mb = (bytes: number): string => (bytes / 1_048_576).toFixed(0);

/** Current and peak resident memory of a process (Linux /proc). */
function workerMemory(pid: number): { rss: number; peakRss: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string): number =>
      Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
    return { rss: kib('VmRSS'), peakRss: kib('VmHWM') };
  } catch {
    return { rss: 0, peakRss: 0 };
  }
}

async function count(client: Awaited<ReturnType<typeof sql>>, text: string): Promise<number> {
  return (await client.query<{ n: number }>(text)).rows[0].n;
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('benchmark timed out');
    await new Promise((r) => setTimeout(r, 1_000));
  }
}
