import { randomUUID } from 'node:crypto';
import { caseOpenedJobId, caseUpdatedJobId, JobName } from '@panah/queue';
import type { RunningApp } from './apps';
import { sql } from './database';
import type { TestStaff } from './staff';

/**
 * Escalation test helpers. `openCase` writes a case and its `case.opened` outbox row in one
 * transaction, exactly as triage does, so the engine under test consumes the real event.
 */
export async function openCase(
  db: { url: string },
  c: { severity: string; teamId: string | null; policyId: string | null },
): Promise<string> {
  const pg = await sql(db.url);
  const caseId = randomUUID();
  try {
    await pg.query('BEGIN');
    const reporterId = `r-${randomUUID()}`;
    await pg.query(`INSERT INTO reporters (id) VALUES ($1)`, [reporterId]);
    await pg.query(
      `INSERT INTO cases (id, reporter_id, state, severity, team_id, policy_id, deadline_at, reasons) VALUES ($1, $2, 'open', $3, $4, $5, now() + interval '10 minutes', '{report}')`,
      [caseId, reporterId, c.severity, c.teamId, c.policyId],
    );
    await pg.query(`INSERT INTO outbox (job_name, payload, job_id) VALUES ($1, $2, $3)`, [
      JobName.CaseOpened,
      JSON.stringify({ caseId }),
      caseOpenedJobId(caseId),
    ]);
    await pg.query('COMMIT');
    return caseId;
  } finally {
    await pg.close();
  }
}

/** Raises a case's severity (and policy) and announces case.updated, as triage does. */
export async function raiseCase(
  db: { url: string },
  caseId: string,
  severity: string,
  policyId: string | null,
): Promise<void> {
  const pg = await sql(db.url);
  try {
    await pg.query('BEGIN');
    const { rows } = await pg.query(
      `UPDATE cases SET severity = $2, policy_id = $3, version = version + 1 WHERE id = $1 RETURNING version`,
      [caseId, severity, policyId],
    );
    const version = (rows[0] as { version: number }).version;
    await pg.query(`INSERT INTO outbox (job_name, payload, job_id) VALUES ($1, $2, $3)`, [
      JobName.CaseUpdated,
      JSON.stringify({ caseId, version }),
      caseUpdatedJobId(caseId, version),
    ]);
    await pg.query('COMMIT');
  } finally {
    await pg.close();
  }
}

export async function call<T = Record<string, unknown>>(
  api: RunningApp,
  who: TestStaff,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${api.url}/v1${path}`, {
    method,
    headers: { ...who.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
}

export async function addContact(
  api: RunningApp,
  who: TestStaff,
  channel: string,
  detail: Record<string, unknown>,
): Promise<{ id: string; webhookSecret?: string }> {
  const res = await call<{ id: string; webhookSecret?: string }>(api, who, 'POST', '/me/contact-methods', {
    channel,
    detail,
  });
  if (res.status !== 201) throw new Error(`contact method: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function createPolicy(
  api: RunningApp,
  admin: TestStaff,
  definition: unknown,
  name = `policy-${randomUUID().slice(0, 8)}`,
): Promise<string> {
  const res = await call<{ id: string }>(api, admin, 'POST', '/admin/escalation-policies', {
    name,
    definition,
  });
  if (res.status !== 201) throw new Error(`policy: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/**
 * Activates a rule set with no rules: every case (safety signals carry no hints) goes to `teamId`
 * and escalates with `policyId`.
 */
export async function routeEverythingTo(
  api: RunningApp,
  admin: TestStaff,
  teamId: string,
  policyId: string,
): Promise<void> {
  const ruleSet = {
    rules: [],
    default: { severity: 'medium', route: { kind: 'team', teamId }, policyId, deadlineMinutes: 60 },
    defaultTeamId: teamId,
  };
  const res = await call(api, admin, 'POST', '/triage-rules', { ruleSet, activate: true });
  if (res.status !== 201) throw new Error(`rule set: ${res.status} ${JSON.stringify(res.body)}`);
}

export interface RunRowView {
  id: string;
  state: string;
  step: number;
  round: number;
  policy_version: number;
  severity: string;
}

export interface NotificationRowView {
  id: string;
  step: number;
  round: number;
  recipient_id: string;
  channel: string;
  status: string;
  attempts: number;
  fallback_of: string | null;
}

export async function runOf(db: { url: string }, caseId: string): Promise<RunRowView | null> {
  const pg = await sql(db.url);
  try {
    const { rows } = await pg.query(
      `SELECT id, state, step, round, policy_version, severity FROM escalation_runs WHERE case_id = $1`,
      [caseId],
    );
    return (rows[0] as RunRowView | undefined) ?? null;
  } finally {
    await pg.close();
  }
}

export async function notificationsOf(db: { url: string }, runId: string): Promise<NotificationRowView[]> {
  const pg = await sql(db.url);
  try {
    const { rows } = await pg.query(
      `SELECT id, step, round, recipient_id, channel, status, attempts, fallback_of FROM escalation_notifications WHERE run_id = $1 ORDER BY created_at, id`,
      [runId],
    );
    return rows as NotificationRowView[];
  } finally {
    await pg.close();
  }
}

export async function eventsOf(db: { url: string }, runId: string): Promise<string[]> {
  const pg = await sql(db.url);
  try {
    const { rows } = await pg.query(`SELECT kind FROM escalation_run_events WHERE run_id = $1 ORDER BY id`, [
      runId,
    ]);
    return (rows as { kind: string }[]).map((r) => r.kind);
  } finally {
    await pg.close();
  }
}

/** The ack token inside a notification text (`…/ack#pk_…`). */
export function ackTokenIn(text: string): string {
  const m = /\/ack#(pk_[A-Za-z0-9_-]{43})/.exec(text);
  if (!m) throw new Error('no acknowledgement link in the notification');
  return m[1];
}

/** One sample of `app`'s scrape: the value of `name{labels}` (labels matched as a subset), or undefined. */
export async function metricSample(
  app: RunningApp,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}
