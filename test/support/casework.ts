import { randomUUID } from 'node:crypto';
import {
  cryptoReady,
  generateStaffKeys,
  sealEnvelope,
  toB64u,
  type BoxKeyPair,
  type Envelope,
  type EnvelopeKind,
  type StaffKeyPairs,
} from '@panah/crypto';
import { caseOpenedJobId, JobName } from '@panah/queue';
import { startApi, startWorker, type RunningApp } from './apps';
import { testConfig } from './config';
import { createTestDatabase, sql, type TestDatabase } from './database';
import { createPolicy } from './escalation';
import {
  intakeKeys,
  publishDirectory,
  sealReport,
  signedDirectory,
  signedInReporter,
  type IntakeKeys,
  type TestReporter,
} from './intake';
import { TestSmtpServer } from './smtp';
import { createStaffRow, signIn, type StaffOptions, type TestStaff } from './staff';

/**
 * What the case-work tests run against: the real API and worker on a fresh database, a directory of
 * `deploymentId` with two intake keys published (tests give keys.staff[1] to a staff member of
 * their own), and the test SMTP server unless `smtp: false`. `env` adds to the test config.
 */
export interface CaseworkStack {
  readonly db: TestDatabase;
  readonly api: RunningApp;
  readonly worker: RunningApp;
  readonly keys: IntakeKeys;
  readonly smtp: TestSmtpServer | null;
  close(): Promise<void>;
}

export async function startCasework(
  deploymentId: string,
  options: { smtp?: boolean; env?: Record<string, string> } = {},
): Promise<CaseworkStack> {
  await cryptoReady();
  const db = await createTestDatabase();
  const smtp = options.smtp === false ? null : await TestSmtpServer.start();
  const keys = await intakeKeys(2);
  const config = testConfig(db.url, {
    ...keys.env,
    DEPLOYMENT_ID: deploymentId,
    ...(smtp ? { SMTP_URL: smtp.url } : {}),
    ...options.env,
  });
  const api = await startApi(config);
  const worker = await startWorker(config);
  await publishDirectory(api, signedDirectory(keys, deploymentId));
  return {
    db,
    api,
    worker,
    keys,
    smtp,
    async close() {
      await worker.close();
      await api.close();
      await smtp?.close();
      await db.drop();
    },
  };
}

/** A policy that alerts the whole team at once, then nothing more for ten minutes (longer than a test). */
export function teamAlertPolicy(api: RunningApp, admin: TestStaff, teamId: string): Promise<string> {
  return createPolicy(api, admin, {
    steps: [
      { type: 'notify', targets: [{ type: 'team', teamId }] },
      { type: 'wait', seconds: 600 },
    ],
  });
}

/** A signed-in staff member whose account holds real key pairs (so their envelopes verify and open). */
export interface KeyedStaff extends TestStaff {
  readonly keys: StaffKeyPairs;
}

export async function keyedStaff(
  api: RunningApp,
  db: { url: string },
  options: StaffOptions,
  box?: BoxKeyPair,
): Promise<KeyedStaff> {
  const account = await createStaffRow(api, db, options);
  const generated = generateStaffKeys();
  const keys: StaffKeyPairs = box ? { ...generated, boxKeyPair: box } : generated;
  const pg = await sql(db.url);
  try {
    await pg.query(`UPDATE staff SET box_pk = $2, sign_pk = $3 WHERE id = $1`, [
      account.staffId,
      toB64u(keys.boxKeyPair.publicKey),
      toB64u(keys.signKeyPair.publicKey),
    ]);
  } finally {
    await pg.close();
  }
  return Object.assign(await signIn(api, account), { keys });
}

/**
 * A reporter signed in over HTTP with a triaged report (sealed to `intake`) in a case of `teamId`,
 * written as triage writes them. The report goes in without its `report.submitted` outbox row, so
 * a running worker never triages it behind the test's back (intake itself is tested in test/intake).
 */
export async function caseWithReport(
  api: RunningApp,
  db: { url: string },
  opts: {
    teamId: string | null;
    intake: readonly Uint8Array[];
    plaintext?: string;
    state?: 'open' | 'acknowledged';
    policyId?: string | null;
    severity?: string;
  },
): Promise<{ reporter: TestReporter; caseId: string; reportId: string; envelope: Envelope }> {
  const reporter = await signedInReporter(api.url);
  const envelope = sealReport(
    reporter,
    opts.intake,
    opts.plaintext ?? '{"schema":"report/1","narrative":"they followed me"}',
  );
  const caseId = randomUUID();
  const pg = await sql(db.url);
  try {
    await pg.query(
      `INSERT INTO cases (id, reporter_id, state, severity, team_id, policy_id, deadline_at, reasons) VALUES ($1, $2, $3, $5, $4, $6, now() + interval '10 minutes', '{report}')`,
      [
        caseId,
        reporter.reporterId,
        opts.state ?? 'open',
        opts.teamId,
        opts.severity ?? 'high',
        opts.policyId ?? null,
      ],
    );
    // With a policy, the escalation engine starts the case as triage would have it start (case.opened).
    if (opts.policyId)
      await pg.query(`INSERT INTO outbox (job_name, payload, job_id) VALUES ($1, $2, $3)`, [
        JobName.CaseOpened,
        JSON.stringify({ caseId }),
        caseOpenedJobId(caseId),
      ]);
    await pg.query(
      `INSERT INTO reports (id, reporter_id, status, envelope, request_digest, directory_serial, case_id, triaged_at) VALUES ($1, $2, 'triaged', $3::jsonb, 'test', 1, $4, now())`,
      [envelope.id, reporter.reporterId, JSON.stringify(envelope), caseId],
    );
  } finally {
    await pg.close();
  }
  return { reporter, caseId, reportId: envelope.id, envelope };
}

export function sealAs(
  author: { keys: StaffKeyPairs } | { sign: { privateKey: Uint8Array } },
  kind: EnvelopeKind,
  recipients: readonly Uint8Array[],
  plaintext: string,
  id: string = randomUUID(),
): Envelope {
  const sk = 'keys' in author ? author.keys.signKeyPair.privateKey : author.sign.privateKey;
  return sealEnvelope({ kind, id, plaintext, recipientPublicKeys: recipients, authorSignSecretKey: sk });
}

export async function send(
  api: RunningApp,
  headers: Record<string, string>,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${api.url}/v1${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed };
}
