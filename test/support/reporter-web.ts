/**
 * The whole system for the reporter web client's browser tests: PostgreSQL, Redis, SMTP, the API
 * serving a client built with this test's root key, the worker, an admin, a caseworker whose box
 * key is an intake key and whose sign key is in the signed directory's staff list (spec §9), an
 * impostor caseworker who is not in that list, and triage routing every report to their team.
 */
import { buildDirectoryPayload, signDirectory, toB64u, type SignedDirectory } from '@panah/crypto';
import type { Page } from 'playwright-core';
import { RunningApp, startApi, startWorker } from './apps';
import { keyedStaff, type KeyedStaff } from './casework';
import { testConfig } from './config';
import { createTestDatabase, rowsOf, type TestDatabase } from './database';
import { addContact, createPolicy, routeEverythingTo } from './escalation';
import { intakeKeys, publishDirectory, type IntakeKeys } from './intake';
import { TestSmtpServer } from './smtp';
import { ensureTeam, signedInStaff } from './staff';
import { buildWebClients } from './web';
import { waitFor } from './wait';

export const DEPLOYMENT = 'test-deployment';

export interface ReporterStack {
  readonly db: TestDatabase;
  readonly smtp: TestSmtpServer;
  readonly api: RunningApp;
  readonly worker: RunningApp;
  readonly keys: IntakeKeys;
  readonly caseworker: KeyedStaff;
  readonly impostor: KeyedStaff;
  readonly inbox: string;
  close(): Promise<void>;
}

/** A directory whose payload also lists `staff` sign keys (spec §9), built and signed by libs/crypto. */
export function directoryWithStaff(
  keys: IntakeKeys,
  staff: readonly { signPk: Uint8Array; label: string }[],
  serial = 1,
): SignedDirectory {
  const now = Date.now();
  const payload = buildDirectoryPayload({
    serial,
    issuedAt: new Date(now - 60_000),
    expiresAt: new Date(now + 30 * 86_400_000),
    deploymentId: DEPLOYMENT,
    rootPublicKey: keys.root.publicKey,
    intake: keys.staff.map((s, i) => ({
      publicKey: s.publicKey,
      role: i === 0 ? 'recovery' : 'caseworker',
      label: `intake ${i}`,
    })),
    staff,
  });
  return signDirectory(payload, keys.root.privateKey);
}

export async function startReporterStack(): Promise<ReporterStack> {
  const db = await createTestDatabase();
  const smtp = await TestSmtpServer.start();
  const keys = await intakeKeys(2);
  const webDir = await buildWebClients(toB64u(keys.root.publicKey), ['reporter']);
  const config = testConfig(db.url, {
    ...keys.env,
    REGISTRATION_POW_BITS: '18', // the production default: the browser solves it in the worker
    WEB_DIR: webDir,
    SMTP_URL: smtp.url,
    PUBLIC_URL: 'https://panah.example',
    CHECKIN_MIN_INTERVAL_SECONDS: '1',
    CHECKIN_SWEEP_EVERY_MS: '500',
    ESCALATION_SWEEP_EVERY_MS: '500',
  });
  const api = await startApi(config);
  const worker = await startWorker(config);
  const teamId = await ensureTeam(db, 'reporter desk');
  const admin = await signedInStaff(api, db, { role: 'admin' });
  const caseworker = await keyedStaff(
    api,
    db,
    { role: 'caseworker', teams: ['reporter desk'] },
    keys.staff[1],
  );
  const impostor = await keyedStaff(api, db, { role: 'caseworker', teams: ['reporter desk'] });
  const inbox = `${caseworker.login}@staff.example`.toLowerCase();
  await addContact(api, caseworker, 'email', { address: inbox });
  const policyId = await createPolicy(api, admin, {
    steps: [
      { type: 'notify', targets: [{ type: 'staff', staffId: caseworker.staffId }] },
      { type: 'wait', seconds: 600 },
    ],
  });
  await routeEverythingTo(api, admin, teamId, policyId);
  await publishDirectory(
    api,
    directoryWithStaff(keys, [{ signPk: caseworker.keys.signKeyPair.publicKey, label: 'Caseworker Mina' }]),
  );
  return {
    db,
    smtp,
    api,
    worker,
    keys,
    caseworker,
    impostor,
    inbox,
    close: async () => {
      await worker.close();
      await api.close();
      await smtp.close();
      await db.drop();
    },
  };
}

/** The reporter's case, once triage (or a safety signal) has opened one. */
export async function caseOfReport(
  db: { url: string },
  reportId: string,
): Promise<{ id: string; reporterId: string }> {
  return waitFor(
    async () => {
      const rows = await rowsOf<{ case_id: string | null; reporter_id: string }>(
        db.url,
        `SELECT case_id, reporter_id FROM reports WHERE id = $1`,
        [reportId],
      );
      return rows[0]?.case_id ? { id: rows[0].case_id, reporterId: rows[0].reporter_id } : null;
    },
    { what: 'the report to be triaged into a case', timeoutMs: 60_000 },
  );
}

export async function waitForReason(db: { url: string }, reporterId: string, reason: string): Promise<void> {
  await waitFor(
    async () => {
      const rows = await rowsOf<{ reasons: string[] }>(
        db.url,
        `SELECT reasons FROM cases WHERE reporter_id = $1`,
        [reporterId],
      );
      return rows.some((r) => r.reasons.includes(reason));
    },
    { what: `a case with reason ${reason}`, timeoutMs: 60_000 },
  );
}

/** Clicks the screen's element and waits for the next screen. */
export async function clickTo(page: Page, testId: string, screen: string, timeout = 180_000): Promise<void> {
  await page.getByTestId(testId).click();
  await page.locator(`[data-screen="${screen}"]`).waitFor({ timeout });
}

/** Text of every data-testid on the page, for comparing what two screens show. */
export async function testIdsOn(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [
      ...new Set(
        [...document.querySelectorAll('[data-testid]')].map((e) => e.getAttribute('data-testid') as string),
      ),
    ].sort(),
  );
}
