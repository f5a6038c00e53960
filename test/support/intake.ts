import { createHash, randomUUID } from 'node:crypto';
import {
  buildDirectoryPayload,
  cryptoReady,
  type DirectoryPayload,
  type Envelope,
  fromB64u,
  generateRootKey,
  generateStaffKeys,
  intakePublicKeys,
  kid,
  sealEnvelope,
  signChallenge,
  signDirectory,
  type SignedDirectory,
  toB64u,
  verifyDirectory,
  type BoxKeyPair,
  type SignKeyPair,
} from '@panah/crypto';
import { leadingZeroBits, type TriageHints } from '@panah/domain';
import { KeyDirectoryService } from '@panah/intake';
import { newToken, tokenDigest, TokenKind } from '@panah/security';
import { type RunningApp, startApi } from './apps';
import { testConfig } from './config';
import { createTestDatabase, sql, type TestDatabase } from './database';

/**
 * Builders for intake tests: an organisation root key and intake (staff) keys, a published
 * directory, reporters registered and signed in over HTTP, and sealed reports.
 */
export interface IntakeKeys {
  readonly root: SignKeyPair;
  readonly staff: BoxKeyPair[];
  /** Config variables a test API needs for these keys (root key, cheap proof of work). */
  readonly env: Record<string, string>;
}

export async function intakeKeys(staffCount = 2): Promise<IntakeKeys> {
  await cryptoReady();
  const root = generateRootKey();
  const staff = Array.from({ length: staffCount }, () => generateStaffKeys().boxKeyPair);
  return {
    root,
    staff,
    env: { DIRECTORY_ROOT_PUBLIC_KEY: toB64u(root.publicKey), REGISTRATION_POW_BITS: '4' },
  };
}

export function signedDirectory(
  keys: IntakeKeys,
  deploymentId: string,
  serial = 1,
  staff = keys.staff,
): SignedDirectory {
  const now = Date.now();
  const payload = buildDirectoryPayload({
    serial,
    issuedAt: new Date(now - 60_000),
    expiresAt: new Date(now + 30 * 86_400_000),
    deploymentId,
    rootPublicKey: keys.root.publicKey,
    intake: staff.map((s, i) => ({
      publicKey: s.publicKey,
      role: i === 0 ? 'recovery' : 'caseworker',
      label: `intake ${i}`,
    })),
  });
  return signDirectory(payload, keys.root.privateKey);
}

/**
 * Publishes through the service the admin endpoint uses (same verification), for tests that are
 * not about the admin route itself.
 */
export async function publishDirectory(api: RunningApp, doc: SignedDirectory): Promise<void> {
  await api.app.get(KeyDirectoryService).publish(doc, null);
}

/**
 * A fresh database and an API (log level warn, plus `env`) holding one intake key, its directory
 * published for deployment `test-deployment`. What it started is stopped if a later step fails.
 */
export async function startIntakeApi(
  env: Record<string, string> = {},
): Promise<{ db: TestDatabase; api: RunningApp; keys: IntakeKeys }> {
  await cryptoReady();
  const db = await createTestDatabase();
  let api: RunningApp | undefined;
  try {
    const keys = await intakeKeys(1);
    api = await startApi(testConfig(db.url, { ...keys.env, LOG_LEVEL: 'warn', ...env }));
    await publishDirectory(api, signedDirectory(keys, 'test-deployment'));
    return { db, api, keys };
  } catch (err) {
    await api?.close();
    await db.drop();
    throw err;
  }
}

/** Fetches and verifies the directory like a client: returns the intake public keys. */
export async function fetchDirectory(
  url: string,
  keys: IntakeKeys,
  deploymentId: string,
): Promise<{ payload: DirectoryPayload; publicKeys: Uint8Array[] }> {
  const res = await fetch(`${url}/v1/keys/directory`);
  if (res.status !== 200) throw new Error(`directory: ${res.status}`);
  const payload = verifyDirectory(await res.json(), keys.root.publicKey, { now: new Date(), deploymentId });
  return { payload, publicKeys: intakePublicKeys(payload) };
}

export function solvePow(challenge: string, difficulty: number): string {
  const c = fromB64u(challenge);
  for (let n = 0; ; n++) {
    const nonce = Buffer.alloc(8);
    nonce.writeBigUInt64BE(BigInt(n));
    if (leadingZeroBits(createHash('sha256').update(c).update(nonce).digest()) >= difficulty)
      return nonce.toString('base64url');
  }
}

export interface TestReporter {
  readonly reporterId: string;
  readonly sign: SignKeyPair;
  readonly box: BoxKeyPair;
  readonly token: string;
  readonly auth: { authorization: string };
}

async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

/**
 * Registers and signs in a reporter over HTTP. Pass keys derived from an access code for the
 * full flow; by default random keys (skipping Argon2) keep tests fast.
 */
export async function signedInReporter(
  url: string,
  keys?: { signKeyPair: SignKeyPair; boxKeyPair: BoxKeyPair },
  /** Extra headers for registration (a benchmark's X-Forwarded-For behind TRUST_PROXY). */
  headers: Record<string, string> = {},
): Promise<TestReporter> {
  await cryptoReady();
  const k = keys ?? generateStaffKeys();
  const pow = await post(`${url}/v1/reporters/pow-challenges`, {}, headers);
  const nonce = solvePow(pow.json.challenge as string, pow.json.difficulty as number);
  const reg = await post(
    `${url}/v1/reporters`,
    {
      signPk: toB64u(k.signKeyPair.publicKey),
      boxPk: toB64u(k.boxKeyPair.publicKey),
      pow: { challenge: pow.json.challenge, nonce },
    },
    headers,
  );
  if (reg.status !== 201) throw new Error(`register: ${reg.status} ${JSON.stringify(reg.json)}`);
  const reporterId = reg.json.reporterId as string;
  const ch = await post(`${url}/v1/reporters/challenges`, { reporterId });
  const signature = toB64u(signChallenge(fromB64u(ch.json.challenge), k.signKeyPair.privateKey));
  const session = await post(`${url}/v1/reporters/sessions`, {
    reporterId,
    challenge: ch.json.challenge,
    signature,
  });
  if (session.status !== 201) throw new Error(`sign-in: ${session.status} ${JSON.stringify(session.json)}`);
  const token = session.json.token as string;
  return {
    reporterId,
    sign: k.signKeyPair,
    box: k.boxKeyPair,
    token,
    auth: { authorization: `Bearer ${token}` },
  };
}

export function sealReport(
  reporter: Pick<TestReporter, 'sign'>,
  recipients: readonly Uint8Array[],
  plaintext: string | Uint8Array,
  id: string = randomUUID(),
): Envelope {
  return sealEnvelope({
    kind: 'report',
    id,
    plaintext,
    recipientPublicKeys: recipients,
    authorSignSecretKey: reporter.sign.privateKey,
  });
}

export async function putReport(
  url: string,
  reporter: Pick<TestReporter, 'auth'>,
  envelope: Envelope,
  hints?: TriageHints | null,
): Promise<Response> {
  return fetch(`${url}/v1/reports/${envelope.id}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...reporter.auth },
    body: JSON.stringify(hints === undefined ? { envelope } : { envelope, hints }),
  });
}

/**
 * A reporter written straight into the database with a live session (no proof of work, no
 * registration rate limit): for benchmarks and tests that need hundreds of reporters.
 */
export async function insertedReporter(dbUrl: string, tokenKey: string): Promise<TestReporter> {
  return (await insertedReporters(dbUrl, tokenKey, 1))[0];
}

/** `n` reporters with keys and a session, inserted directly over one connection (bench set-up). */
export async function insertedReporters(dbUrl: string, tokenKey: string, n: number): Promise<TestReporter[]> {
  await cryptoReady();
  const pg = await sql(dbUrl);
  const reporters: TestReporter[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const k = generateStaffKeys();
      const reporterId = kid(k.signKeyPair.publicKey);
      const token = newToken(TokenKind.ReporterSession);
      await pg.query(`INSERT INTO reporters (id) VALUES ($1)`, [reporterId]);
      await pg.query(
        `INSERT INTO reporter_keys (kid, reporter_id, sign_pk, box_pk, purpose) VALUES ($1, $1, $2, $3, 'primary')`,
        [reporterId, toB64u(k.signKeyPair.publicKey), toB64u(k.boxKeyPair.publicKey)],
      );
      await pg.query(
        `INSERT INTO reporter_sessions (id, token_digest, reporter_id, key_kid, expires_at) VALUES ($1, $2, $3, $3, now() + interval '1 day')`,
        [randomUUID(), tokenDigest(token, tokenKey), reporterId],
      );
      reporters.push({
        reporterId,
        sign: k.signKeyPair,
        box: k.boxKeyPair,
        token,
        auth: { authorization: `Bearer ${token}` },
      });
    }
  } finally {
    await pg.close();
  }
  return reporters;
}
