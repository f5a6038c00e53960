import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { type PanahConfig } from '@panah/config';
import { cryptoReady } from '@panah/crypto';
import { migrate } from '@panah/db';
import { ContactCipher, NOTIFICATION_ID_HEADER } from '@panah/notify';
import { startApi } from './apps';
import { testConfig } from './config';
import {
  insertedReporters,
  intakeKeys,
  type IntakeKeys,
  publishDirectory,
  sealReport,
  signedDirectory,
  type TestReporter,
} from './intake';
import { TestPgServer } from './pg-server';
import { BuiltProcess, processEnv } from './processes';
import { TestRedisServer } from './redis-server';

/**
 * The whole service as it runs in production — built API and worker processes (any number of
 * each), a PostgreSQL and a Redis server of its own on free ports the OS picks (two runs at
 * once never collide; never the shared servers), a webhook receiver counting deliveries by notification id — plus the knobs a
 * fault test turns: stop and start PostgreSQL or Redis, FLUSHALL, SIGKILL or SIGTERM a process,
 * a steady load of reports. Used by the fault tests in test/faults and by `npm run faults`.
 *
 * Every report comes from a reporter of its own, so every acknowledged report must become one
 * case, one escalation run and two notifications (the policy notifies, waits, notifies again).
 */
export interface FaultStackOptions {
  /** Fixed ports only if a caller needs them; by default free ports the OS picks, so runs never collide. */
  readonly pgPort?: number;
  readonly redisPort?: number;
  readonly apis?: number;
  readonly workers?: number;
  /** Seconds between the policy's two notify steps. */
  readonly waitSeconds?: number;
  readonly reporters?: number;
  readonly env?: Record<string, string>;
}

export interface Delivery {
  readonly id: string;
  readonly at: number;
}

/** Counts webhook deliveries by Panah-Notification-Id; can be made slow to keep deliveries in flight. */
export class CountingReceiver {
  readonly deliveries: Delivery[] = [];
  /** Requests as they arrive (before any delay), by notification id: a delivery attempt started. */
  readonly started: Delivery[] = [];
  /** Requests whose sender went away before the answer (a SIGKILLed worker's attempts in flight). */
  readonly abandoned: Delivery[] = [];
  delayMs = 0;
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<CountingReceiver> {
    let self: CountingReceiver | null = null;
    const server = createServer((req, res) => {
      const startedId = req.headers[NOTIFICATION_ID_HEADER.toLowerCase()];
      if (typeof startedId === 'string') self?.started.push({ id: startedId, at: Date.now() });
      res.on('close', () => {
        if (!res.writableEnded && typeof startedId === 'string')
          self?.abandoned.push({ id: startedId, at: Date.now() });
      });
      req.resume();
      req.on('end', () => {
        const id = req.headers[NOTIFICATION_ID_HEADER.toLowerCase()];
        const done = (): void => {
          if (typeof id === 'string') self?.deliveries.push({ id, at: Date.now() });
          res.statusCode = 204;
          res.end();
        };
        if (self?.delayMs) setTimeout(done, self.delayMs);
        else done();
      });
    });
    server.keepAliveTimeout = 1_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    self = new CountingReceiver(server, (server.address() as AddressInfo).port);
    return self;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}

export interface LoadStats {
  readonly offered: number;
  readonly acknowledged: string[];
  readonly statuses: Map<number, number>;
  readonly retryAfter: number;
}

export class FaultStack {
  readonly apis: BuiltProcess[] = [];
  readonly workers: BuiltProcess[] = [];
  /** A pool (not one client): it reconnects after a PostgreSQL outage. */
  pg!: Pool;
  private reporters: TestReporter[] = [];
  private nextReporter = 0;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  /** One connection per request: a request is then either refused or accepted, never raced against an idle socket's close. */
  private readonly oneShot = new http.Agent({ keepAlive: false, maxSockets: 64 });
  private closed = false;

  private constructor(
    readonly pgServer: TestPgServer,
    readonly redis: TestRedisServer,
    readonly receiver: CountingReceiver,
    readonly config: PanahConfig,
    readonly keys: IntakeKeys,
    readonly env: Record<string, string>,
    readonly options: FaultStackOptions,
  ) {}

  static async start(options: FaultStackOptions): Promise<FaultStack> {
    await cryptoReady();
    const pgServer = await TestPgServer.start(options.pgPort);
    const redis = await TestRedisServer.start({ port: options.redisPort });
    const receiver = await CountingReceiver.start();
    const url = pgServer.url('panah');
    await migrate({ url });
    const keys = await intakeKeys(2);
    const tuning = {
      ...keys.env,
      OUTBOX_POLL_MS: '500',
      DATABASE_POOL_SIZE: '10',
      SHUTDOWN_TIMEOUT_MS: '15000',
      // The webhook receiver is the test's own, on loopback (refused by default: SSRF guard).
      OUTBOUND_ALLOW_CIDRS: '127.0.0.1/32',
      NOTIFY_RETRY_BASE_MS: '500',
      NOTIFY_TIMEOUT_MS: '5000',
      TRIAGE_RECONCILE_AFTER_SECONDS: '5',
      TRIAGE_RECONCILE_EVERY_MS: '2000',
      ...options.env,
    };
    const config = testConfig(url, { REDIS_URL: redis.url, ...tuning, LOG_LEVEL: 'warn' });
    const env = processEnv(config, tuning);
    const stack = new FaultStack(pgServer, redis, receiver, config, keys, env, options);
    stack.pg = new Pool({ connectionString: url, max: 3 });
    stack.pg.on('error', () => undefined);
    await stack.seed();
    for (let i = 0; i < (options.apis ?? 1); i++) stack.apis.push(await BuiltProcess.start('api', env));
    for (let i = 0; i < (options.workers ?? 1); i++)
      stack.workers.push(await BuiltProcess.start('worker', env));
    return stack;
  }

  private async seed(): Promise<void> {
    const setup = await startApi(this.config);
    try {
      await publishDirectory(setup, signedDirectory(this.keys, this.config.deploymentId));
    } finally {
      await setup.close();
    }
    const teamId = randomUUID();
    await this.pg.query(`INSERT INTO teams (id, name) VALUES ($1, 'Fault desk')`, [teamId]);
    const cipher = new ContactCipher(this.config);
    const f = (n: number): string => randomBytes(n).toString('base64url');
    for (let i = 0; i < 4; i++) {
      const id = randomUUID();
      await this.pg.query(
        `INSERT INTO staff (id, login, label, role, status, kdf_salt, box_pk, sign_pk, protected_secret) VALUES ($1, $2, 'faults', 'caseworker', 'active', $3, $4, $5, $6)`,
        [id, `faults-${i}`, f(16), f(32), f(32), f(64)],
      );
      await this.pg.query(`INSERT INTO staff_teams (staff_id, team_id) VALUES ($1, $2)`, [id, teamId]);
      const methodId = randomUUID();
      const detail = await cipher.encrypt(methodId, {
        channel: 'webhook',
        url: this.receiver.url(`/staff-${i}`),
        secret: f(32),
      });
      await this.pg.query(
        `INSERT INTO contact_methods (id, staff_id, channel, priority, detail_ciphertext) VALUES ($1, $2, 'webhook', 1, $3)`,
        [methodId, id, detail],
      );
    }
    const policyId = randomUUID();
    const notify = { type: 'notify', targets: [{ type: 'team', teamId }], mode: 'round_robin' };
    const definition = {
      ackTimeoutSeconds: null,
      maxSnoozeSeconds: 3600,
      steps: [notify, { type: 'wait', seconds: this.options.waitSeconds ?? 10 }, notify],
    };
    await this.pg.query(
      `INSERT INTO escalation_policies (id, name, current_version) VALUES ($1, 'faults', 1)`,
      [policyId],
    );
    await this.pg.query(
      `INSERT INTO escalation_policy_versions (policy_id, version, definition) VALUES ($1, 1, $2)`,
      [policyId, JSON.stringify(definition)],
    );
    const ruleSet = {
      rules: [],
      default: { severity: 'high', route: { kind: 'team', teamId }, policyId, deadlineMinutes: 60 },
      defaultTeamId: teamId,
    };
    await this.pg.query(`INSERT INTO triage_rule_sets (version, definition, active) VALUES (1, $1, true)`, [
      JSON.stringify(ruleSet),
    ]);
    this.reporters = await insertedReporters(
      this.pgServer.url('panah'),
      this.config.tokenKey,
      this.options.reporters ?? 2_000,
    );
  }

  /** A PUT of one fresh report (a reporter of its own) to one of the APIs, retried like a client: same id, after Retry-After. */
  private async submit(
    api: BuiltProcess,
    stats: { statuses: Map<number, number>; retryAfter: number },
    giveUpAt: number,
    agent: http.Agent,
  ): Promise<string | null> {
    const reporter = this.reporters[this.nextReporter++ % this.reporters.length];
    if (this.nextReporter > this.reporters.length)
      throw new Error('not enough reporters for this load; raise options.reporters');
    const envelope = sealReport(
      reporter,
      this.keys.staff.map((s) => s.publicKey),
      'fault test report',
    );
    const body = JSON.stringify({ envelope, hints: { category: 'direct_threat' } });
    for (;;) {
      const target = this.apis.find((a) => a === api && a.running) ?? this.apis.find((a) => a.running) ?? api;
      const res = await request(
        agent,
        `${target.url}/v1/reports/${envelope.id}`,
        'PUT',
        { 'content-type': 'application/json', ...reporter.auth },
        body,
      );
      stats.statuses.set(res.status, (stats.statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 200 && res.status < 300) return envelope.id;
      if (res.status === 503 && res.retryAfter) stats.retryAfter += 1;
      if (Date.now() > giveUpAt || this.closed) return null;
      await new Promise((r) => setTimeout(r, res.retryAfter ? Math.min(2_000, res.retryAfter * 1000) : 500));
    }
  }

  /** Open-loop load: `rate` reports a second for `seconds`, spread over the running APIs. */
  async load(
    rate: number,
    seconds: number,
    options: { giveUpAfterMs?: number; keepAlive?: boolean } = {},
  ): Promise<LoadStats> {
    const agent = options.keepAlive === false ? this.oneShot : this.agent;
    const stats = { statuses: new Map<number, number>(), retryAfter: 0 };
    const acknowledged: string[] = [];
    const pending: Promise<void>[] = [];
    const total = Math.round(rate * seconds);
    const start = Date.now();
    for (let i = 0; i < total && !this.closed; i++) {
      const due = start + (i * 1000) / rate;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      const api = this.apis[i % this.apis.length];
      pending.push(
        this.submit(api, stats, Date.now() + (options.giveUpAfterMs ?? 90_000), agent).then(
          (id) => void (id && acknowledged.push(id)),
          () => undefined,
        ),
      );
    }
    await Promise.all(pending);
    return { offered: total, acknowledged, statuses: stats.statuses, retryAfter: stats.retryAfter };
  }

  /**
   * A report PUT whose body is sent in two halves `gapMs` apart, on a connection of its own:
   * a request in flight for that long. Resolves with the status (-1 if the connection broke).
   */
  trickledReport(api: BuiltProcess, gapMs: number): Promise<number> {
    const reporter = this.reporters[this.nextReporter++ % this.reporters.length];
    const envelope = sealReport(
      reporter,
      this.keys.staff.map((s) => s.publicKey),
      'in flight at SIGTERM',
    );
    const body = Buffer.from(JSON.stringify({ envelope, hints: { category: 'direct_threat' } }));
    return new Promise((resolve) => {
      const req = http.request(
        `${api.url}/v1/reports/${envelope.id}`,
        {
          agent: false,
          method: 'PUT',
          headers: {
            'content-type': 'application/json',
            'content-length': String(body.length),
            ...reporter.auth,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', () => resolve(-1));
      const half = Math.floor(body.length / 2);
      req.write(body.subarray(0, half));
      setTimeout(() => req.end(body.subarray(half)), gapMs);
    });
  }

  /** A signed-in reporter not used by the load (the last one). */
  spareReporter(): TestReporter {
    return this.reporters[this.reporters.length - 1];
  }

  async redisClient(): Promise<Redis> {
    const client = new Redis(this.redis.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    return client;
  }

  async flushRedis(): Promise<void> {
    const client = await this.redisClient();
    try {
      await client.flushall();
    } finally {
      client.disconnect();
    }
  }

  /** Replaces a dead (or stopped) worker with a fresh one, as a supervisor would. */
  async restartWorker(index: number): Promise<BuiltProcess> {
    const fresh = await BuiltProcess.start('worker', this.env, { waitReady: false });
    this.workers[index] = fresh;
    return fresh;
  }

  async restartApi(index: number): Promise<BuiltProcess> {
    const fresh = await BuiltProcess.start('api', this.env, { waitReady: false });
    this.apis[index] = fresh;
    return fresh;
  }

  async query<T>(text: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pg.query(text, params)).rows as T[];
  }

  /** Waits until every acknowledged report became a case whose run is exhausted and whose notifications are all settled. */
  async settled(acknowledged: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const [s] = await this.query<{
        received: number;
        cases: number;
        runs: number;
        open: number;
        unsettled: number;
      }>(
        `SELECT (SELECT count(*) FROM reports WHERE status = 'received')::int AS received,
                (SELECT count(*) FROM cases)::int AS cases,
                (SELECT count(*) FROM escalation_runs)::int AS runs,
                (SELECT count(*) FROM escalation_runs WHERE state <> 'exhausted')::int AS open,
                (SELECT count(*) FROM escalation_notifications WHERE status NOT IN ('delivered', 'failed'))::int AS unsettled`,
      ).catch(() => [{ received: 1, cases: 0, runs: 0, open: 1, unsettled: 1 }]);
      if (
        s.received === 0 &&
        s.cases >= acknowledged &&
        s.runs >= s.cases &&
        s.open === 0 &&
        s.unsettled === 0
      ) {
        const delivered = new Set(this.receiver.deliveries.map((d) => d.id));
        const [n] = await this.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM escalation_notifications WHERE status = 'delivered'`,
        );
        if (n.n <= delivered.size) return true;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    return false;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.agent.destroy();
    this.oneShot.destroy();
    await Promise.all([...this.apis, ...this.workers].map((p) => p.kill()));
    await this.pg?.end().catch(() => undefined);
    await this.receiver.close();
    await this.redis.down();
    await this.pgServer.destroy();
  }
}

function request(
  agent: http.Agent,
  url: string,
  method: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; retryAfter: number }> {
  return new Promise((resolve) => {
    const req = http.request(url, { agent, method, headers, timeout: 30_000 }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, retryAfter: Number(res.headers['retry-after'] ?? 0) || 0 }),
      );
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    // 0: never connected (nothing listening); -1: the connection broke with the request in flight.
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ status: error.code === 'ECONNREFUSED' ? 0 : -1, retryAfter: 0 }),
    );
    req.end(body);
  });
}

export interface ScenarioFigures {
  readonly scenario: string;
  readonly acknowledged: number;
  readonly cases: number;
  readonly runs: number;
  readonly expected: number;
  readonly recorded: number;
  readonly delivered: number;
  readonly deliveredTwice: number;
  /**
   * Of those, the ones an earlier attempt of which the sender recorded as failed although the
   * receiver got it (it answered after NOTIFY_TIMEOUT_MS on a starved machine: at-least-once, by
   * design; the receiver dedupes by Panah-Notification-Id), and the ones whose earlier attempt's
   * worker died before recording it (an attempt in flight at a SIGKILL).
   */
  readonly twiceAfterFailedAttempt: number;
  readonly twiceAfterLostAttempt: number;
  readonly lost: number;
  readonly lateness: { p50: number; p99: number; max: number; n: number };
  readonly statuses: string;
  readonly settled: boolean;
}

/**
 * The figures of a scenario: what was acknowledged, recorded and delivered, and how late steps
 * ran after the fault: each step executed after `faultEnd`, late by the time between its due time
 * (or the end of the fault, if it fell due during the fault) and its execution.
 */
export async function figures(
  stack: FaultStack,
  scenario: string,
  load: LoadStats,
  faultEnd: Date,
  settled: boolean,
): Promise<ScenarioFigures> {
  const [c] = await stack.query<{
    reports: number;
    cases: number;
    runs: number;
    recorded: number;
    cases_twice: number;
  }>(
    `SELECT (SELECT count(*) FROM reports WHERE id = ANY($1::uuid[]))::int AS reports,
            (SELECT count(*) FROM cases)::int AS cases,
            (SELECT count(*) FROM escalation_runs)::int AS runs,
            (SELECT count(*) FROM escalation_notifications WHERE fallback_of IS NULL)::int AS recorded,
            (SELECT count(*) FROM (SELECT reporter_id FROM cases GROUP BY reporter_id HAVING count(*) > 1) t)::int AS cases_twice`,
    [load.acknowledged],
  );
  const counts = new Map<string, number>();
  for (const d of stack.receiver.deliveries) counts.set(d.id, (counts.get(d.id) ?? 0) + 1);
  const recordedIds = new Set(
    (await stack.query<{ id: string }>(`SELECT id FROM escalation_notifications`)).map((r) => r.id),
  );
  const delivered = [...counts.keys()].filter((id) => recordedIds.has(id)).length;
  const twiceIds = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
  const deliveredTwice = twiceIds.length;
  const earlier = await stack.query<{ failed: number; lost: number }>(
    `SELECT count(*) FILTER (WHERE a.outcomes && ARRAY['retry', 'failed'])::int AS failed,
            count(*) FILTER (WHERE NOT a.outcomes && ARRAY['retry', 'failed'] AND 'lost' = ANY(a.outcomes))::int AS lost
       FROM (SELECT notification_id, array_agg(outcome) AS outcomes FROM escalation_notification_attempts
              WHERE notification_id = ANY($1::uuid[]) GROUP BY notification_id) a`,
    [twiceIds],
  );
  // Every acknowledged report: one case, one run, two notifications (one per notify step).
  const expected = load.acknowledged.length * 2;
  const [late] = await stack.query<{ n: number; p50: number | null; p99: number | null; max: number | null }>(
    `SELECT count(*)::int AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99, max(ms) AS max
       FROM (SELECT greatest(0, extract(epoch FROM at - greatest(at - make_interval(secs => (details->>'latenessMs')::float / 1000), $1)) * 1000) AS ms
               FROM escalation_run_events
              WHERE kind = 'step' AND details->>'action' = 'execute' AND at >= $1) t`,
    [faultEnd],
  );
  const lostReports = load.acknowledged.length - c.reports;
  return {
    scenario,
    acknowledged: load.acknowledged.length,
    cases: c.cases,
    runs: c.runs,
    expected,
    recorded: c.recorded,
    delivered,
    deliveredTwice,
    twiceAfterFailedAttempt: earlier[0]?.failed ?? 0,
    twiceAfterLostAttempt: earlier[0]?.lost ?? 0,
    lost: Math.max(0, expected - delivered) + Math.max(0, lostReports) * 2,
    lateness: {
      n: late.n,
      p50: Number(late.p50 ?? 0),
      p99: Number(late.p99 ?? 0),
      max: Number(late.max ?? 0),
    },
    statuses: [...load.statuses]
      .sort((a, b) => a[0] - b[0])
      .map(([s, n]) => `${s}:${n}`)
      .join(' '),
    settled,
  };
}

export function printFigures(f: ScenarioFigures, log: (line: string) => void = console.log): void {
  log(
    `${f.scenario.padEnd(34)} reports ${String(f.acknowledged).padStart(5)}  cases ${String(f.cases).padStart(5)}  runs ${String(f.runs).padStart(5)}  ` +
      `notifications expected ${String(f.expected).padStart(5)} recorded ${String(f.recorded).padStart(5)} delivered ${String(f.delivered).padStart(5)} ` +
      `twice ${String(f.deliveredTwice).padStart(3)} (after a failed attempt ${f.twiceAfterFailedAttempt}, after a lost one ${f.twiceAfterLostAttempt}) lost ${String(f.lost).padStart(3)}  ` +
      `lateness after fault p50 ${f.lateness.p50.toFixed(0)} ms p99 ${f.lateness.p99.toFixed(0)} ms max ${f.lateness.max.toFixed(0)} ms (${f.lateness.n} steps)  ` +
      `[HTTP ${f.statuses}]${f.settled ? '' : '  NOT SETTLED'}`,
  );
}
