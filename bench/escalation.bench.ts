/**
 * `npm run bench -- escalation`: step lateness (actual minus due time) of escalation runs, through
 * the real path: case.opened in the outbox → relay → engine → delayed BullMQ wake-ups → engine,
 * with every notification delivered to a loopback webhook. Phase 1: 10,000 runs opened over 150 s,
 * each with a second step 30 s later, so steps come due over three minutes. Phase 2: 1,000 runs, and
 * Redis is flushed while their second steps are
 * pending, so those steps are recovered by the sweeper. Issue 7 target: p99 < 500 ms.
 * The worker is the built one, in a process of its own; the webhook receiver and the load
 * generator share this one.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import Redis from 'ioredis';
import { cryptoReady } from '@panah/crypto';
import { ContactCipher } from '@panah/notify';
import { caseOpenedJobId, JobName } from '@panah/queue';
import { testConfig } from '../test/support/config';
import { createTestDatabase, sql } from '../test/support/database';
import { TestRedisServer } from '../test/support/redis-server';
import { waitFor } from '../test/support/wait';
import { TestWebhookReceiver } from '../test/support/webhook';
import { configEnv, cpuMeter, spawnApp } from './harness';

const RUNS = Number(process.env.BENCH_ESCALATION_RUNS ?? 10_000);
const CREATE_SECONDS = Number(process.env.BENCH_ESCALATION_CREATE_SECONDS ?? 150);
const WAIT_SECONDS = 30;
const FLUSH_RUNS = Number(process.env.BENCH_ESCALATION_FLUSH_RUNS ?? 1_000);
const STAFF = 20;

type Pg = Awaited<ReturnType<typeof sql>>;

async function openCases(pg: Pg, n: number, teamId: string, policyId: string): Promise<void> {
  const ids = Array.from({ length: n }, () => randomUUID());
  const reporters = ids.map((id) => `bench-${id}`);
  await pg.query('BEGIN');
  await pg.query(`INSERT INTO reporters (id) SELECT unnest($1::text[])`, [reporters]);
  await pg.query(
    `INSERT INTO cases (id, reporter_id, state, severity, team_id, policy_id, deadline_at, reasons)
     SELECT unnest($1::uuid[]), unnest($2::text[]), 'open', 'critical', $3, $4, now() + interval '10 minutes', '{report}'`,
    [ids, reporters, teamId, policyId],
  );
  await pg.query(
    `INSERT INTO outbox (job_name, payload, job_id) SELECT $1, json_build_object('caseId', id), 'case-opened-' || id FROM unnest($2::uuid[]) AS id`,
    [JobName.CaseOpened, ids],
  );
  await pg.query('COMMIT');
  void caseOpenedJobId; // job ids follow caseOpenedJobId(caseId)
}

async function lateness(pg: Pg, since: Date, label: string, extra = ''): Promise<void> {
  const { rows } = await pg.query(
    `SELECT count(*)::int AS n,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99,
            max(ms) AS max
       FROM (SELECT (details->>'latenessMs')::float AS ms FROM escalation_run_events
              WHERE kind = 'step' AND details->>'action' = 'execute' AND at >= $1 ${extra}) t`,
    [since],
  );
  const s = rows[0] as { n: number; p50: number; p99: number; max: number };
  console.log(
    `${label.padEnd(44)} p50 ${s.p50.toFixed(1).padStart(7)} ms   p99 ${s.p99.toFixed(1).padStart(7)} ms   max ${Number(s.max).toFixed(1).padStart(7)} ms   over ${s.n} delayed steps`,
  );
}

export async function run(): Promise<void> {
  await cryptoReady();
  const db = await createTestDatabase();
  const redis = await TestRedisServer.start();
  const hooks = await TestWebhookReceiver.start();
  const tuning = {
    ESCALATION_CONCURRENCY: process.env.ESCALATION_CONCURRENCY ?? '16',
    OUTBOX_BATCH_SIZE: '500',
  };
  const config = testConfig(db.url, {
    REDIS_URL: redis.url,
    LOG_LEVEL: 'warn',
    DATABASE_POOL_SIZE: '40',
    ...tuning,
  });
  const worker = await spawnApp('worker', configEnv(config, tuning));
  const pg = await sql(db.url);
  try {
    const teamId = randomUUID();
    await pg.query(`INSERT INTO teams (id, name) VALUES ($1, 'Bench desk')`, [teamId]);
    const cipher = new ContactCipher(config);
    for (let i = 0; i < STAFF; i++) {
      const id = randomUUID();
      const f = (n: number) => randomBytes(n).toString('base64url');
      await pg.query(
        `INSERT INTO staff (id, login, label, role, status, kdf_salt, box_pk, sign_pk, protected_secret) VALUES ($1, $2, 'bench', 'caseworker', 'active', $3, $4, $5, $6)`,
        [id, `bench-${i}`, f(16), f(32), f(32), f(64)],
      );
      await pg.query(`INSERT INTO staff_teams (staff_id, team_id) VALUES ($1, $2)`, [id, teamId]);
      const methodId = randomUUID();
      const detail = await cipher.encrypt(methodId, {
        channel: 'webhook',
        url: hooks.url('/bench'),
        secret: f(32),
      });
      await pg.query(
        `INSERT INTO contact_methods (id, staff_id, channel, priority, detail_ciphertext) VALUES ($1, $2, 'webhook', 1, $3)`,
        [methodId, id, detail],
      );
    }
    const policyId = randomUUID();
    const notify = { type: 'notify', targets: [{ type: 'team', teamId }], mode: 'round_robin' };
    const definition = {
      ackTimeoutSeconds: null,
      maxSnoozeSeconds: 3600,
      steps: [notify, { type: 'wait', seconds: WAIT_SECONDS }, notify],
    };
    await pg.query(`INSERT INTO escalation_policies (id, name, current_version) VALUES ($1, 'bench', 1)`, [
      policyId,
    ]);
    await pg.query(
      `INSERT INTO escalation_policy_versions (policy_id, version, definition) VALUES ($1, 1, $2)`,
      [policyId, JSON.stringify(definition)],
    );

    // Phase 1: RUNS runs opened evenly over CREATE_SECONDS; their steps come due WAIT_SECONDS apart.
    const cpu = cpuMeter({ worker: worker.pid });
    const started = new Date();
    const batches = CREATE_SECONDS * 2;
    const perBatch = Math.ceil(RUNS / batches);
    for (let b = 0, made = 0; made < RUNS; b++) {
      const n = Math.min(perBatch, RUNS - made);
      await openCases(pg, n, teamId, policyId);
      made += n;
      const next = started.getTime() + ((b + 1) * 1000 * CREATE_SECONDS) / batches;
      await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
    }
    await waitFor(
      async () =>
        (await pg.query(`SELECT count(*)::int AS n FROM escalation_runs WHERE state = 'exhausted'`)).rows[0]
          .n >= RUNS,
      {
        timeoutMs: 300_000,
        intervalMs: 1_000,
        what: 'every run exhausted',
      },
    );
    const delivered = await pg.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'delivered')::int AS ok FROM escalation_notifications`,
    );
    console.log(
      `machine: ${cpus().length} CPUs, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} (shared with other processes)`,
    );
    console.log(
      `${RUNS} runs × 2 steps (the second delayed ${WAIT_SECONDS} s), opened over ${CREATE_SECONDS} s; ${delivered.rows[0].ok}/${delivered.rows[0].n} notifications delivered; ${((Date.now() - started.getTime()) / 1000).toFixed(0)} s`,
    );
    console.log(`  ${cpu()}`);
    await lateness(pg, started, 'step lateness (delayed BullMQ jobs)');

    // Phase 2: a Redis flush while 2,000 runs have steps pending.
    const second = new Date();
    const flushed = Math.min(FLUSH_RUNS, RUNS);
    await openCases(pg, flushed, teamId, policyId);
    await waitFor(
      async () =>
        (
          await pg.query(
            `SELECT count(*)::int AS n FROM escalation_runs WHERE created_at >= $1 AND step = 2 AND state = 'active'`,
            [second],
          )
        ).rows[0].n >= flushed,
      {
        timeoutMs: 180_000,
        intervalMs: 250,
        what: 'phase 2 first steps done',
      },
    );
    await new Promise((r) => setTimeout(r, 3_000));
    const flushAt = new Date();
    const client = new Redis(redis.port, '127.0.0.1');
    await client.flushall();
    client.disconnect();
    await waitFor(
      async () =>
        (
          await pg.query(
            `SELECT count(*)::int AS n FROM escalation_runs WHERE created_at >= $1 AND state = 'exhausted'`,
            [second],
          )
        ).rows[0].n >= flushed,
      {
        timeoutMs: 180_000,
        intervalMs: 1_000,
        what: 'phase 2 runs exhausted',
      },
    );
    const lost = await pg.query(
      `SELECT count(*)::int AS n FROM escalation_runs WHERE created_at >= $1 AND state <> 'exhausted'`,
      [second],
    );
    console.log(
      `Redis flushed ${((flushAt.getTime() - second.getTime()) / 1000).toFixed(0)} s into ${flushed} runs; runs not finished: ${lost.rows[0].n}; sweeper period ${config.escalation.sweepEveryMs} ms, grace ${config.escalation.sweepGraceMs} ms`,
    );
    await lateness(pg, flushAt, 'step lateness after the flush (sweeper)');
  } finally {
    await pg.close();
    await worker.close();
    await hooks.close();
    await redis.down();
    await db.drop();
  }
}
