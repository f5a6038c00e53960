/**
 * `npm run faults`: the fault suite. Each scenario starts the built API and worker against a
 * PostgreSQL and a Redis of its own (on free ports the OS picks, never the shared servers), runs a steady
 * load of reports, injects its fault, waits for everything acknowledged to settle and prints:
 * reports acknowledged, cases, runs, notifications expected / recorded / delivered / delivered
 * more than once / lost, and step lateness after the fault ended (p50/p99/max).
 * FAULTS_RATE (reports/s, default 20), FAULTS_SECONDS (load per scenario, default 90), and the
 * scenario names as arguments (default: all). A shorter version runs in CI: test/faults.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { FaultStack, figures, printFigures, type ScenarioFigures } from '../test/support/fault-stack';
import { assertBuilt } from '../test/support/processes';

const RATE = Number(process.env.FAULTS_RATE ?? 20);
const SECONDS = Number(process.env.FAULTS_SECONDS ?? 90);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Prints when a fault was injected, to read the duplicates' delivery times against. */
const mark = (what: string): void => console.log(`  ${new Date().toISOString().slice(11, 23)} ${what}`);

type Scenario = (stack: FaultStack) => Promise<Date>;

const scenarios: Record<string, { apis?: number; workers?: number; run: Scenario }> = {
  'redis stopped 60 s, restarted empty': {
    run: async (s) => {
      await sleep(10_000);
      mark('redis down');
      await s.redis.down();
      await sleep(60_000);
      await s.redis.up();
      mark('redis up');
      return new Date();
    },
  },
  'worker SIGKILL every 15 s': {
    run: async (s) => {
      for (let t = 15_000; t < SECONDS * 1000; t += 15_000) {
        await sleep(15_000);
        mark('worker SIGKILL');
        await s.workers[0].kill();
        await s.restartWorker(0);
      }
      return new Date();
    },
  },
  'FLUSHALL with steps pending': {
    run: async (s) => {
      await sleep(Math.min(30_000, (SECONDS * 1000) / 2));
      mark('FLUSHALL');
      await s.flushRedis();
      return new Date();
    },
  },
  'PostgreSQL immediate stop 20 s': {
    run: async (s) => {
      await sleep(15_000);
      mark('PostgreSQL down');
      await s.pgServer.down('immediate');
      await sleep(20_000);
      await s.pgServer.up();
      mark('PostgreSQL up');
      return new Date();
    },
  },
  'SIGTERM of each process under load': {
    run: async (s) => {
      await sleep(15_000);
      const w = s.workers[0];
      mark('worker SIGTERM');
      await w.stop(60_000);
      console.log(`  worker SIGTERM exit code ${w.exitCode}`);
      await s.restartWorker(0);
      await sleep(10_000);
      const a = s.apis[0];
      const next = s.restartApi(0);
      mark('api SIGTERM');
      await a.stop(60_000);
      console.log(`  api SIGTERM exit code ${a.exitCode}`);
      await next;
      return new Date();
    },
  },
  'two APIs and two workers, one worker SIGKILLed': {
    apis: 2,
    workers: 2,
    run: async (s) => {
      await sleep(20_000);
      mark('worker 2 SIGKILL');
      await s.workers[1].kill();
      await s.restartWorker(1);
      return new Date();
    },
  },
};

/** Up to 8 notifications delivered more than once: when each copy arrived and the attempts recorded. */
async function explainDuplicates(stack: FaultStack): Promise<void> {
  const byId = new Map<string, number[]>();
  for (const d of stack.receiver.deliveries) byId.set(d.id, [...(byId.get(d.id) ?? []), d.at]);
  const twice = [...byId].filter(([, at]) => at.length > 1).slice(0, 8);
  for (const [id, at] of twice) {
    const attempts = await stack.query<{
      attempt: number;
      outcome: string;
      error: string | null;
      started_at: Date;
    }>(
      `SELECT attempt, outcome, error, started_at FROM escalation_notification_attempts WHERE notification_id = $1 ORDER BY attempt`,
      [id],
    );
    console.log(
      `  twice ${id}: delivered at ${at.map((t) => new Date(t).toISOString().slice(11, 23)).join(', ')}; attempts ` +
        attempts
          .map(
            (a) =>
              `${a.attempt}:${a.outcome}${a.error ? `(${a.error})` : ''}@${a.started_at.toISOString().slice(11, 23)}`,
          )
          .join(' '),
    );
  }
}

async function main(): Promise<void> {
  assertBuilt();
  const wanted = process.argv.slice(2);
  const names = wanted.length > 0 ? wanted : Object.keys(scenarios);
  const results: ScenarioFigures[] = [];
  for (const name of names) {
    const sc = scenarios[name];
    if (!sc)
      throw new Error(
        `unknown scenario "${name}" (known: ${Object.keys(scenarios)
          .map((n) => JSON.stringify(n))
          .join(', ')})`,
      );
    console.log(`\n== ${name} ==`);
    const stack = await FaultStack.start({
      apis: sc.apis,
      workers: sc.workers,
      waitSeconds: 20,
      reporters: Math.ceil(RATE * SECONDS * 1.1) + 10,
    });
    try {
      // The webhook receiver shares this process's event loop with the load: a starved loop answers
      // late, and an answer after NOTIFY_TIMEOUT_MS is a failed attempt that is sent again.
      const lag = monitorEventLoopDelay({ resolution: 20 });
      lag.enable();
      const load = stack.load(RATE, SECONDS, { giveUpAfterMs: 120_000 });
      const faultEnd = await sc.run(stack);
      const stats = await load;
      const settled = await stack.settled(stats.acknowledged.length, 240_000);
      const f = await figures(stack, name, stats, faultEnd, settled);
      lag.disable();
      printFigures(f);
      console.log(
        `  this process's event-loop delay (the receiver's): p99 ${(lag.percentile(99) / 1e6).toFixed(0)} ms, max ${(lag.max / 1e6).toFixed(0)} ms`,
      );
      await explainDuplicates(stack);
      results.push(f);
    } finally {
      await stack.close();
    }
  }
  console.log('\n== summary ==');
  for (const f of results) printFigures(f);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  },
);
