/**
 * Issue 19 point 6: the figures an operator pages on, read from /metrics as Prometheus would —
 * the oldest unacknowledged critical case, escalation steps overdue, notification failures per
 * channel and the outbox age — each seen to move with what happens in PostgreSQL and the worker.
 * docker/grafana-dashboard.json charts the same series.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { type PanahConfig } from '@panah/config';
import { RunningApp, startApi, startWorker } from '../support/apps';
import { testConfig } from '../support/config';
import { createTestDatabase, rowsOf, sql, type TestDatabase } from '../support/database';
import { addContact, createPolicy, metricSample, openCase } from '../support/escalation';
import { ensureTeam, signedInStaff } from '../support/staff';
import { waitFor } from '../support/wait';

/** A loopback port nobody listens on: every webhook delivery to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('operator metrics', () => {
  let db: TestDatabase;
  let config: PanahConfig;
  let api: RunningApp;
  let worker: RunningApp | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db.url, {
      NOTIFY_MAX_ATTEMPTS: '1',
      NOTIFY_RETRY_BASE_MS: '100',
      OUTBOUND_ALLOW_CIDRS: '127.0.0.1/32', // the refused webhook is on loopback
    });
    api = await startApi(config);
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await db?.drop();
  });

  it('shows the oldest unacknowledged critical case, overdue steps, failures per channel and the outbox age move', async () => {
    const teamId = await ensureTeam(db, 'Metrics desk');
    const admin = await signedInStaff(api, db, { role: 'admin' });
    const caseworker = await signedInStaff(api, db, { role: 'caseworker', teams: ['Metrics desk'] });
    await addContact(api, caseworker, 'webhook', { url: `http://127.0.0.1:${await closedPort()}/hook` });
    const policyId = await createPolicy(api, admin, {
      steps: [
        { type: 'notify', targets: [{ type: 'team', teamId }] },
        { type: 'wait', seconds: 3600 },
      ],
    });

    // Nothing yet.
    expect(
      await metricSample(api, 'panah_cases_oldest_unacknowledged_seconds', { severity: 'critical' }),
    ).toBe(0);
    expect(await metricSample(api, 'panah_escalation_runs_overdue')).toBe(0);
    expect(await metricSample(api, 'panah_outbox_oldest_age_seconds')).toBe(0);

    // A critical case opened two minutes ago whose case.opened has waited 90 s (no worker yet).
    const caseId = await openCase(db, { severity: 'critical', teamId, policyId });
    const pg = await sql(db.url);
    try {
      // Open and unacknowledged since then (the figure counts from unacknowledged_since).
      await pg.query(
        `UPDATE cases SET opened_at = now() - interval '120 seconds', unacknowledged_since = now() - interval '120 seconds' WHERE id = $1`,
        [caseId],
      );
      await pg.query(`UPDATE outbox SET created_at = now() - interval '90 seconds' WHERE relayed_at IS NULL`);
    } finally {
      await pg.close();
    }
    expect(
      await metricSample(api, 'panah_cases_oldest_unacknowledged_seconds', { severity: 'critical' }),
    ).toBeGreaterThanOrEqual(120);
    expect(await metricSample(api, 'panah_cases_oldest_unacknowledged_seconds', { severity: 'low' })).toBe(0);
    expect(await metricSample(api, 'panah_outbox_backlog')).toBe(1);
    expect(await metricSample(api, 'panah_outbox_oldest_age_seconds')).toBeGreaterThanOrEqual(90);

    // The worker relays it, starts the run and fails to reach the caseworker's webhook.
    worker = await startWorker(config);
    const w = worker;
    expect((await metricSample(w, 'panah_notification_failures_total', { channel: 'webhook' })) ?? 0).toBe(0);
    await waitFor(
      async () =>
        ((await metricSample(w, 'panah_notification_failures_total', { channel: 'webhook' })) ?? 0) >= 1,
      { timeoutMs: 60_000, intervalMs: 250, what: 'a webhook failure counted' },
    );
    await waitFor(async () => (await metricSample(api, 'panah_outbox_oldest_age_seconds')) === 0, {
      timeoutMs: 30_000,
      what: 'the outbox drained',
    });
    expect(await metricSample(w, 'panah_notification_failures_total', { channel: 'email' })).toBeUndefined();

    // Every series the Grafana dashboard charts exists (in the API's or the worker's scrape).
    const dashboard = readFileSync('docker/grafana-dashboard.json', 'utf8');
    const charted = new Set(
      [...dashboard.matchAll(/panah_[a-z_]+/g)].map((m) => m[0].replace(/_bucket$/, '')),
    );
    const served =
      (await (await fetch(`${api.url}/metrics`)).text()) + (await (await fetch(`${w.url}/metrics`)).text());
    expect([...charted].filter((name) => !served.includes(`# TYPE ${name} `))).toEqual([]);
    expect(charted.size).toBeGreaterThanOrEqual(8);

    // The worker stops; the run's next step falls due and nobody runs it.
    await worker.close();
    worker = undefined;
    const [run] = await rowsOf<{ id: string }>(db.url, `SELECT id FROM escalation_runs WHERE case_id = $1`, [
      caseId,
    ]);
    const pg2 = await sql(db.url);
    try {
      await pg2.query(`UPDATE escalation_runs SET next_step_at = now() - interval '1 minute' WHERE id = $1`, [
        run.id,
      ]);
      expect(await metricSample(api, 'panah_escalation_runs_overdue')).toBe(1);
      // Someone acknowledges: the case is no longer unacknowledged, and its run waits for the ack timeout.
      await pg2.query(`UPDATE cases SET state = 'acknowledged' WHERE id = $1`, [caseId]);
      await pg2.query(
        `UPDATE escalation_runs SET next_step_at = NULL, state = 'acknowledged' WHERE id = $1`,
        [run.id],
      );
    } finally {
      await pg2.close();
    }
    expect(
      await metricSample(api, 'panah_cases_oldest_unacknowledged_seconds', { severity: 'critical' }),
    ).toBe(0);
    expect(await metricSample(api, 'panah_escalation_runs_overdue')).toBe(0);
  });
});
