/**
 * Finding 1 of issue 20: Redis restarted empty just after jobs were relayed. The five cases whose
 * case.opened jobs were lost never got an escalation run, and nothing noticed: relayed outbox
 * rows were assumed delivered. Every job whose effect must happen now has a durable trace in
 * PostgreSQL that a sweeper compares against. Here the queues are paused (so relayed jobs wait in
 * Redis), work of every kind is announced and relayed, and Redis restarts empty.
 */
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { caseOpenedJobId, caseUpdatedJobId, JobName, QueueName } from '@panah/queue';
import { FaultStack } from '../support/fault-stack';
import { assertBuilt } from '../support/processes';
import { waitFor } from '../support/wait';

describe('Redis restarted empty with relayed jobs not yet run', () => {
  let stack: FaultStack;

  beforeAll(async () => {
    assertBuilt();
    stack = await FaultStack.start({ waitSeconds: 600, reporters: 50 });
  }, 300_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('opens the runs of lost case.opened jobs, applies lost case.updated jobs and delivers lost notifications within a sweep or two', async () => {
    // One case escalating already, to be resolved while its case.updated is lost.
    const warm = await stack.load(1, 1);
    await waitFor(
      async () =>
        (
          await stack.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM escalation_notifications WHERE status = 'delivered'`,
          )
        )[0].n >= 1,
      {
        timeoutMs: 60_000,
        what: 'the first case alerted',
      },
    );
    const [resolvedCase] = await stack.query<{ id: string }>(
      `SELECT case_id AS id FROM escalation_runs LIMIT 1`,
    );

    const queues = [QueueName.CaseEvents, QueueName.Notify, QueueName.Triage].map(
      (name) =>
        new Queue(name, {
          connection: { host: '127.0.0.1', port: stack.redis.port },
          prefix: stack.config.redis.prefix,
        }),
    );
    for (const q of queues) q.on('error', () => undefined);
    try {
      for (const q of queues) await q.pause();
      // Five cases opened (case.opened), one resolved (case.updated), one report submitted (report.submitted).
      const opened: string[] = [];
      const [team] = await stack.query<{ id: string }>(`SELECT id FROM teams LIMIT 1`);
      const [policy] = await stack.query<{ id: string }>(`SELECT id FROM escalation_policies LIMIT 1`);
      for (let i = 0; i < 5; i++) {
        const caseId = randomUUID();
        const reporterId = `lost-${caseId}`;
        await stack.query(`INSERT INTO reporters (id) VALUES ($1)`, [reporterId]);
        await stack.query(
          `WITH c AS (INSERT INTO cases (id, reporter_id, state, severity, team_id, policy_id, deadline_at, reasons)
                      VALUES ($1, $2, 'open', 'high', $3, $4, now() + interval '1 hour', '{report}') RETURNING id)
           INSERT INTO outbox (job_name, payload, job_id) SELECT $5, json_build_object('caseId', id), $6 FROM c`,
          [caseId, reporterId, team.id, policy.id, JobName.CaseOpened, caseOpenedJobId(caseId)],
        );
        opened.push(caseId);
      }
      const [v] = await stack.query<{ version: number }>(
        `UPDATE cases SET state = 'resolved', resolved_at = now(), version = version + 1, updated_at = now() WHERE id = $1 RETURNING version`,
        [resolvedCase.id],
      );
      await stack.query(`INSERT INTO outbox (job_name, payload, job_id) VALUES ($1, $2, $3)`, [
        JobName.CaseUpdated,
        JSON.stringify({ caseId: resolvedCase.id, version: v.version }),
        caseUpdatedJobId(resolvedCase.id, v.version),
      ]);
      const submitted = await stack.load(1, 1);
      expect(submitted.acknowledged).toHaveLength(1);
      await waitFor(
        async () =>
          (
            await stack.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE relayed_at IS NULL`)
          )[0].n === 0,
        {
          what: 'everything relayed to the paused queues',
        },
      );

      // Redis comes back empty 100 ms later: every relayed job is gone.
      await stack.redis.down();
      await new Promise((r) => setTimeout(r, 100));
      await stack.redis.up();
      const restarted = Date.now();

      await waitFor(
        async () => {
          const [s] = await stack.query<{ runs: number; resolved: boolean; triaged: number }>(
            `SELECT (SELECT count(*) FROM escalation_runs WHERE case_id = ANY($1::uuid[]))::int AS runs,
                  (SELECT state = 'resolved' FROM escalation_runs WHERE case_id = $2) AS resolved,
                  (SELECT count(*) FROM reports WHERE id = ANY($3::uuid[]) AND status = 'triaged')::int AS triaged`,
            [opened, resolvedCase.id, submitted.acknowledged],
          );
          return s.runs === 5 && s.resolved && s.triaged === 1;
        },
        {
          timeoutMs: 40_000,
          intervalMs: 250,
          what: 'lost case.opened, case.updated and report.submitted recovered',
        },
      );
      // The notifications of the recovered runs and of the submitted report's case are delivered.
      await waitFor(
        async () => {
          const [s] = await stack.query<{ pending: number; delivered: number }>(
            `SELECT count(*) FILTER (WHERE n.status <> 'delivered')::int AS pending, count(*) FILTER (WHERE n.status = 'delivered')::int AS delivered
             FROM escalation_notifications n JOIN escalation_runs r ON r.id = n.run_id
            WHERE r.case_id = ANY($1::uuid[]) OR r.case_id IN (SELECT case_id FROM reports WHERE id = ANY($2::uuid[]))`,
            [opened, submitted.acknowledged],
          );
          return s.pending === 0 && s.delivered === 6;
        },
        { timeoutMs: 40_000, intervalMs: 250, what: 'their first notifications delivered' },
      );
      // Within the scheduler's re-registration after a restart, a sweep interval, its grace and a few seconds.
      expect(Date.now() - restarted).toBeLessThan(30_000);
      void warm;
    } finally {
      for (const q of queues) await q.close();
    }
  }, 300_000);
});
