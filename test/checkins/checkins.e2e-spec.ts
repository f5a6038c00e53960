import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type { PanahConfig } from '@panah/config';
import { startApi, startWorker, type RunningApp } from '../support/apps';
import { api, registerWithDuress, signedSignal, signInWith, type DuressReporter } from '../support/checkins';
import { testConfig } from '../support/config';
import { createTestDatabase, rowsOf, sql, type TestDatabase } from '../support/database';
import { intakeKeys } from '../support/intake';
import { waitFor } from '../support/wait';

/**
 * Issue 8 acceptance, against the real API, worker, PostgreSQL and Redis. Plans use intervals of
 * seconds (CHECKIN_MIN_INTERVAL_SECONDS=1); the tests wait for outcomes in order, never for a time.
 */
describe('safety check-ins, panic and duress', () => {
  let db: TestDatabase;
  let config: PanahConfig;
  let apiApp: RunningApp;
  let worker: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    const keys = await intakeKeys();
    config = testConfig(db.url, {
      ...keys.env,
      CHECKIN_MIN_INTERVAL_SECONDS: '1',
      CHECKIN_SWEEP_EVERY_MS: '500',
      CHECKIN_PANIC_WINDOW_SECONDS: '60',
    });
    apiApp = await startApi(config);
    worker = await startWorker(config);
  });

  afterAll(async () => {
    await worker?.close();
    await apiApp?.close();
    await db?.drop();
  });

  const query = <T>(text: string, params: unknown[] = []): Promise<T[]> => rowsOf<T>(db.url, text, params);

  async function reporter(): Promise<DuressReporter & { auth: { authorization: string } }> {
    const r = await registerWithDuress(apiApp.url);
    const session = await signInWith(apiApp.url, r.primary);
    expect(session.status).toBe(201);
    return { ...r, auth: session.auth };
  }

  const casesOf = (
    reporterId: string,
  ): Promise<{ id: string; severity: string; reasons: string[]; state: string }[]> =>
    query(`SELECT id, severity, reasons, state FROM cases WHERE reporter_id = $1`, [reporterId]);
  const eventsOf = async (caseId: string): Promise<string[]> =>
    (
      await query<{ kind: string }>(
        `SELECT kind FROM case_safety_events WHERE case_id = $1 ORDER BY occurred_at, id`,
        [caseId],
      )
    ).map((r) => r.kind);

  it('a missed check-in opens a critical missed_checkin case and announces it to escalation', async () => {
    const r = await reporter();
    const plan = await api(apiApp.url, 'PUT', '/v1/checkins/plan', r.auth, {
      schedule: { kind: 'interval', everySeconds: 1 },
      graceSeconds: 1,
    });
    expect(plan.status).toBe(201);
    expect(plan.json.missSeverity).toBe('critical');
    const [opened] = await waitFor(
      async () => {
        const rows = await casesOf(r.reporterId);
        return rows.length > 0 ? rows : null;
      },
      { what: 'the missed check-in case' },
    );
    expect(opened.severity).toBe('critical');
    expect(opened.reasons).toContain('missed_checkin');
    expect(await eventsOf(opened.id)).toContain('missed_checkin');
    const outbox = await query(
      `SELECT 1 FROM outbox WHERE job_name = 'case.opened' AND payload->>'caseId' = $1`,
      [opened.id],
    );
    expect(outbox).toHaveLength(1);
    // The reporter sees that help was called (a normal session).
    expect((await api(apiApp.url, 'GET', '/v1/checkins/plan', r.auth)).json.status).toBe('overdue');
  });

  it('parallel first-time plan PUTs from one reporter make one plan, never a 5xx (the fuzz found the race)', async () => {
    const daily = { kind: 'daily', times: ['09:00', '21:00'], timeZone: 'Europe/Berlin' };
    const bodies = [0, 60, 900, 3600].flatMap((graceSeconds) => [
      { schedule: daily, graceSeconds, remindersSecondsBefore: [600] },
      { schedule: { kind: 'interval', everySeconds: 86_400 }, graceSeconds },
    ]);
    for (let round = 0; round < 3; round++) {
      const r = await reporter();
      const answers = await Promise.all(
        bodies.map((body) => api(apiApp.url, 'PUT', '/v1/checkins/plan', r.auth, body)),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
      expect(await query(`SELECT id FROM checkin_plans WHERE reporter_id = $1`, [r.reporterId])).toHaveLength(
        1,
      );
    }
  });

  it('check-ins before each deadline prevent any alert', async () => {
    const r = await reporter();
    const plan = await api(apiApp.url, 'PUT', '/v1/checkins/plan', r.auth, {
      // A 12 s window against check-ins every ~0.5 s: on a busy machine one request can take
      // seconds, and a gap longer than the window would rightly be a late check-in.
      schedule: { kind: 'interval', everySeconds: 8 },
      graceSeconds: 4,
    });
    const planId = plan.json.id as string;
    const firstAlertAt = Date.parse(plan.json.alertAt as string);
    const queue = new Queue('checkins', {
      connection: { url: config.redis.url },
      prefix: config.redis.prefix,
    });
    try {
      // Keep checking in (every ~0.5 s, against the 12 s window) until the first deadline's own
      // job has fired and found nothing due.
      const firstJob = `checkin-deadline-${planId}-${firstAlertAt}`;
      await waitFor(
        async () => {
          const res = await api(
            apiApp.url,
            'POST',
            '/v1/checkins',
            r.auth,
            signedSignal('checkin', r.primary),
          );
          expect(res.status).toBe(201);
          const job = await queue.getJob(firstJob);
          return job && (await job.isCompleted()) && job.returnvalue === 'not_due';
        },
        { intervalMs: 500, what: 'the first deadline job to fire and find the reporter checked in' },
      );
      await api(apiApp.url, 'POST', '/v1/checkins', r.auth, signedSignal('checkin', r.primary));
      expect((await api(apiApp.url, 'DELETE', '/v1/checkins/plan', r.auth)).status).toBe(204);
    } finally {
      await queue.close();
    }
    expect(await casesOf(r.reporterId)).toEqual([]);
    const outcomes = await query<{ outcome: string }>(
      `SELECT DISTINCT outcome FROM checkins WHERE reporter_id = $1`,
      [r.reporterId],
    );
    expect(outcomes.map((o) => o.outcome)).toEqual(['on_time']);
  });

  it('a check-in after the alert is recorded on the case, which stays open', async () => {
    const r = await reporter();
    await api(apiApp.url, 'PUT', '/v1/checkins/plan', r.auth, {
      schedule: { kind: 'interval', everySeconds: 1 },
      graceSeconds: 1,
    });
    const [opened] = await waitFor(
      async () => {
        const rows = await casesOf(r.reporterId);
        return rows.length > 0 ? rows : null;
      },
      { what: 'the missed check-in case' },
    );
    const late = await api(apiApp.url, 'POST', '/v1/checkins', r.auth, signedSignal('checkin', r.primary));
    expect(late.status).toBe(201);
    await api(apiApp.url, 'DELETE', '/v1/checkins/plan', r.auth);
    const events = await eventsOf(opened.id);
    expect(events.indexOf('checked_in_after_alert')).toBeGreaterThan(events.indexOf('missed_checkin'));
    const [after] = await casesOf(r.reporterId);
    expect(after.state).not.toBe('resolved');
    const rows = await query<{ outcome: string }>(`SELECT outcome FROM checkins WHERE id = $1`, [
      late.json.id,
    ]);
    expect(rows[0].outcome).toBe('after_alert');
  });

  it("delivers reminders before the deadline into the reporter's inbox, once each", async () => {
    const r = await reporter();
    const plan = await api(apiApp.url, 'PUT', '/v1/checkins/plan', r.auth, {
      schedule: { kind: 'interval', everySeconds: 4 },
      graceSeconds: 30,
      remindersSecondsBefore: [3, 1],
    });
    const deadline = plan.json.nextDeadline as string;
    const inbox = await waitFor(
      async () => {
        const res = await api(apiApp.url, 'GET', '/v1/checkins/reminders', r.auth);
        return (res.json.items as unknown[]).length >= 2
          ? (res.json.items as { deadline: string; remindAt: string }[])
          : null;
      },
      { what: 'two reminders' },
    );
    await api(apiApp.url, 'DELETE', '/v1/checkins/plan', r.auth);
    expect(inbox.map((i) => i.deadline)).toEqual([deadline, deadline]);
    expect(inbox.map((i) => Date.parse(deadline) - Date.parse(i.remindAt))).toEqual([1_000, 3_000]);
  });

  it('a plan the engine cannot evaluate still alerts (fail safe), and not on every sweep', async () => {
    const r = await reporter();
    await api(apiApp.url, 'PUT', '/v1/checkins/plan', r.auth, {
      schedule: { kind: 'interval', everySeconds: 3600 },
    });
    const client = await sql(db.url);
    try {
      // Corrupt the stored schedule and make it due: the state machine throws on it.
      await client.query(
        `UPDATE checkin_plans SET spec = jsonb_set(spec, '{schedule}', '{"kind":"daily","times":["09:00"],"timeZone":"Nowhere/Atlantis"}'), alert_at = now() - interval '5 seconds' WHERE reporter_id = $1`,
        [r.reporterId],
      );
    } finally {
      await client.close();
    }
    const [opened] = await waitFor(
      async () => {
        const rows = await casesOf(r.reporterId);
        return rows.length > 0 ? rows : null;
      },
      { what: 'the fail-safe alert' },
    );
    expect(opened.reasons).toEqual(['missed_checkin']);
    const [plan] = await query<{ alert_at: Date }>(
      `SELECT alert_at FROM checkin_plans WHERE reporter_id = $1`,
      [r.reporterId],
    );
    expect(plan.alert_at.getTime()).toBeGreaterThan(Date.now() + 30 * 60_000);
    await api(apiApp.url, 'DELETE', '/v1/checkins/plan', r.auth);
  });

  it('five panic presses within the window make one critical panic case', async () => {
    const r = await reporter();
    const presses = await Promise.all(
      Array.from({ length: 5 }, () =>
        api(apiApp.url, 'POST', '/v1/panic', r.auth, signedSignal('panic', r.primary)),
      ),
    );
    expect(presses.map((p) => p.status)).toEqual([201, 201, 201, 201, 201]);
    const cases = await casesOf(r.reporterId);
    expect(cases).toHaveLength(1);
    expect(cases[0].severity).toBe('critical');
    expect(cases[0].reasons).toEqual(['panic']);
    const announced = await query(`SELECT job_name FROM outbox WHERE payload->>'caseId' = $1`, [cases[0].id]);
    expect(announced).toEqual([{ job_name: 'case.opened' }]);
    const events = await query<{ repeat: boolean }>(
      `SELECT repeat FROM panic_events WHERE reporter_id = $1`,
      [r.reporterId],
    );
    expect(events.filter((e) => !e.repeat)).toHaveLength(1);
    expect(events).toHaveLength(5);
    // A retry of one press is that press.
    const retry = await api(apiApp.url, 'POST', '/v1/panic', r.auth, {
      ...signedSignal('panic', r.primary, presses[0].json.id as string),
    });
    expect(retry.status).toBe(200);
  });

  it('refuses an unsigned, stale or foreign-key check-in with a 4xx naming the field', async () => {
    const r = await reporter();
    const other = await reporter();
    const stale = await api(
      apiApp.url,
      'POST',
      '/v1/checkins',
      r.auth,
      signedSignal('checkin', r.primary, randomUUID(), new Date(Date.now() - 3_600_000).toISOString()),
    );
    expect(stale.status).toBe(400);
    expect(JSON.stringify(stale.json)).toContain('"at"');
    const foreign = await api(
      apiApp.url,
      'POST',
      '/v1/checkins',
      r.auth,
      signedSignal('checkin', other.primary),
    );
    expect(foreign.status).toBe(400);
    const swapped = { ...signedSignal('panic', r.primary) };
    expect((await api(apiApp.url, 'POST', '/v1/checkins', r.auth, swapped)).status).toBe(400); // a panic signature is not a check-in
    const badPlan = await api(apiApp.url, 'PUT', '/v1/checkins/plan', r.auth, {
      schedule: { kind: 'daily', times: ['25:00'], timeZone: 'Europe/Berlin' },
    });
    expect(badPlan.status).toBe(400);
    expect(JSON.stringify(badPlan.json)).toContain('schedule.times[0]');
  });

  it('a duress sign-in answers exactly like a normal one and silently opens a critical duress case', async () => {
    const r = await registerWithDuress(apiApp.url);
    const logMark = { api: apiApp.logs.lines.length, worker: worker.logs.lines.length };
    const normal = await signInWith(apiApp.url, r.primary);
    const forced = await signInWith(apiApp.url, r.duress);
    expect(forced.status).toBe(normal.status);
    expect(Object.keys(forced.body).sort()).toEqual(Object.keys(normal.body).sort());
    for (const field of Object.keys(normal.body))
      expect(typeof forced.body[field]).toBe(typeof normal.body[field]);
    expect(String(forced.body.token).length).toBe(String(normal.body.token).length);
    expect(String(forced.body.token).slice(0, 3)).toBe(String(normal.body.token).slice(0, 3));
    const [opened] = await waitFor(
      async () => {
        const rows = await casesOf(r.reporterId);
        return rows.length > 0 ? rows : null;
      },
      { what: 'the duress case' },
    );
    expect(opened.severity).toBe('critical');
    expect(opened.reasons).toEqual(['duress']);
    expect(await eventsOf(opened.id)).toEqual(['duress_signin']);
    // Nothing logged since the sign-ins says so (boot lines name the DuressPortModule, nothing else may).
    expect(apiApp.logs.lines.slice(logMark.api).join('\n').toLowerCase()).not.toContain('duress');
    expect(worker.logs.lines.slice(logMark.worker).join('\n').toLowerCase()).not.toContain('duress');
  });

  it('under duress a check-in looks accepted but never stops the alert, and raises the duress case', async () => {
    const r = await registerWithDuress(apiApp.url);
    const normal = await signInWith(apiApp.url, r.primary);
    const plan = await api(apiApp.url, 'PUT', '/v1/checkins/plan', normal.auth, {
      schedule: { kind: 'interval', everySeconds: 30 },
      graceSeconds: 30,
    });
    const forced = await signInWith(apiApp.url, r.duress);
    const coerced = await api(
      apiApp.url,
      'POST',
      '/v1/checkins',
      forced.auth,
      signedSignal('checkin', r.duress),
    );
    const honest = await api(
      apiApp.url,
      'POST',
      '/v1/checkins',
      normal.auth,
      signedSignal('checkin', r.primary),
    );
    expect(coerced.status).toBe(honest.status);
    expect(Object.keys(coerced.json).sort()).toEqual(Object.keys(honest.json).sort());
    const paused = await api(apiApp.url, 'POST', '/v1/checkins/plan/pause', forced.auth, {
      until: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(paused.status).toBe(200);
    expect(paused.json.status).toBe('paused');
    const stored = await query<{ paused_until: Date | null }>(
      `SELECT paused_until FROM checkin_plans WHERE id = $1`,
      [plan.json.id],
    );
    expect(stored[0].paused_until).toBeNull();
    const outcomes = await query<{ outcome: string }>(
      `SELECT outcome FROM checkins WHERE reporter_id = $1 ORDER BY created_at`,
      [r.reporterId],
    );
    expect(outcomes.map((o) => o.outcome)).toEqual(['duress', 'on_time']);
    const [opened] = await waitFor(async () => {
      const rows = await casesOf(r.reporterId);
      return rows.length > 0 ? rows : null;
    });
    expect(opened.reasons).toEqual(['duress']);
    await waitFor(async () => (await eventsOf(opened.id)).includes('duress_signin'));
    expect(await eventsOf(opened.id)).toContain('duress_checkin');
  });
});
