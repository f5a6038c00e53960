/**
 * Staff members for e2e tests, in one line:
 *
 *   const admin = await signedInStaff(api, db, { role: 'admin' });
 *   const cw = await signedInStaff(api, db, { role: 'caseworker', teams: ['Berlin desk'] });
 *   await fetch(`${api.url}/v1/staff/me`, { headers: cw.headers });
 *
 * The account rows are written straight into the database (no invitation, no vetting, and a
 * random authKey instead of the ~1 s client-side Argon2id derivation), then the member signs in
 * through the real API with a real TOTP code, so `token` is a genuine session that the guard
 * resolves like any other. Teams are given by name (created when missing) or by the id of an
 * existing team. The key material
 * (boxPk, signPk, protectedSecret) is random filler of the right sizes, unless `insertStaffRow`
 * is given a password: then the keys are derived from it as a client would (the console's browser
 * tests sign in with it, see test/support/console.ts).
 *
 * Use `createStaffRow` for an account that should not be signed in (e.g. pending_vetting), and
 * `signIn` / `nextTotpCode` to sign in again: each sign-in consumes a TOTP time step, and the
 * helper waits for the next step when the current ones are used up.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { leadingZeroBits } from '@panah/domain';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import {
  cryptoReady,
  deriveStaffKeys,
  generateStaffKdfSalt,
  generateStaffKeys,
  hashAuthKey,
  protectStaffSecret,
  signSeedOf,
  toB64u,
  type BoxKeyPair,
  type SignKeyPair,
} from '@panah/crypto';
import type { StaffRole, StaffStatus } from '@panah/domain';
import { newTotpSecret, totpCodeAt, TotpSecretBox } from '@panah/identity';
import type { RunningApp } from './apps';
import { sql } from './database';

export interface TestStaffAccount {
  readonly staffId: string;
  readonly login: string;
  readonly role: StaffRole;
  readonly teamIds: string[];
  /** base64url authKey: what a client would derive from the password. */
  readonly authKey: string;
  readonly totpSecret: string;
  /** The last TOTP step used to sign in (codes for it or earlier are refused). */
  lastStep: number | null;
}

export interface TestStaff extends TestStaffAccount {
  readonly token: string;
  /** `{ authorization: 'Bearer ps_…' }` */
  readonly headers: Record<string, string>;
}

export interface StaffOptions {
  readonly role: StaffRole;
  /** Team names (created when missing) or ids of existing teams. */
  readonly teams?: readonly string[];
  readonly status?: StaffStatus;
  readonly login?: string;
  readonly invitedBy?: string | null;
  /** Shown in the console and the audit log (default `test <role>`). */
  readonly label?: string;
}

/** A team by name (created with no routing attributes if missing); returns its id. */
export async function ensureTeam(
  db: { url: string },
  name: string,
  regions: string[] = [],
  languages: string[] = [],
): Promise<string> {
  const client = await sql(db.url);
  try {
    const found = await client.query<{ id: string }>('SELECT id FROM teams WHERE name = $1', [name]);
    if (found.rows[0]) return found.rows[0].id;
    const id = randomUUID();
    await client.query('INSERT INTO teams (id, name, regions, languages) VALUES ($1, $2, $3, $4)', [
      id,
      name,
      regions,
      languages,
    ]);
    return id;
  } finally {
    await client.close();
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A team given by the id of an existing team, or by name (created when missing). */
async function teamId(db: { url: string }, team: string): Promise<string> {
  if (UUID.test(team)) {
    const client = await sql(db.url);
    try {
      if ((await client.query('SELECT 1 FROM teams WHERE id = $1', [team])).rowCount) return team;
    } finally {
      await client.close();
    }
  }
  return ensureTeam(db, team);
}

/** Real keys derived from a password exactly as a client would (Argon2id MODERATE, crypto-v1 §4). */
export interface DerivedStaffKeys {
  readonly password: string;
  readonly box: BoxKeyPair;
  readonly sign: SignKeyPair;
  /** base64url secrets that must never appear in anything a client sends. */
  readonly secrets: {
    readonly encKey: string;
    readonly boxSk: string;
    readonly signSeed: string;
    readonly signSk: string;
  };
}

interface KeyColumns {
  readonly authKey: Uint8Array;
  readonly kdfSalt: string;
  readonly boxPk: string;
  readonly signPk: string;
  readonly protectedSecret: string;
  readonly derived: DerivedStaffKeys | null;
}

/** Random filler of the right sizes (fast), or keys derived from `password` (~1 s of Argon2id). */
function keyColumns(staffId: string, password: string | undefined): KeyColumns {
  if (password === undefined)
    return {
      authKey: new Uint8Array(randomBytes(32)),
      kdfSalt: randomBytes(16).toString('base64url'),
      boxPk: randomBytes(32).toString('base64url'),
      signPk: randomBytes(32).toString('base64url'),
      protectedSecret: randomBytes(104).toString('base64url'),
      derived: null,
    };
  const kdfSalt = generateStaffKdfSalt();
  const { authKey, encKey } = deriveStaffKeys(password, kdfSalt);
  const keys = generateStaffKeys();
  const signSeed = signSeedOf(keys.signKeyPair.privateKey);
  return {
    authKey,
    kdfSalt: toB64u(kdfSalt),
    boxPk: toB64u(keys.boxKeyPair.publicKey),
    signPk: toB64u(keys.signKeyPair.publicKey),
    protectedSecret: protectStaffSecret(keys.boxKeyPair.privateKey, signSeed, staffId, encKey),
    derived: {
      password,
      box: keys.boxKeyPair,
      sign: keys.signKeyPair,
      secrets: {
        encKey: toB64u(encKey),
        boxSk: toB64u(keys.boxKeyPair.privateKey),
        signSeed: toB64u(signSeed),
        signSk: toB64u(keys.signKeyPair.privateKey),
      },
    },
  };
}

/**
 * The one insert of a test staff account (active unless told otherwise), not signed in. With
 * `password`, its keys are derived from it as a client would and returned as `derived`.
 */
export async function insertStaffRow(
  api: RunningApp,
  db: { url: string },
  options: StaffOptions & { readonly password?: string },
): Promise<{ account: TestStaffAccount; derived: DerivedStaffKeys | null }> {
  await cryptoReady();
  const config = api.app.get<PanahConfig>(PANAH_CONFIG);
  const staffId = randomUUID();
  const login = options.login ?? `${options.role}-${randomBytes(4).toString('hex')}`;
  const keys = keyColumns(staffId, options.password);
  const totpSecret = newTotpSecret();
  const teamIds: string[] = [];
  for (const team of options.teams ?? []) teamIds.push(await teamId(db, team));
  const client = await sql(db.url);
  try {
    await client.query(
      `INSERT INTO staff (id, login, label, role, status, kdf_salt, auth_key_hash, box_pk, sign_pk, protected_secret, totp_secret, invited_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        staffId,
        login,
        options.label ?? `test ${options.role}`,
        options.role,
        options.status ?? 'active',
        keys.kdfSalt,
        hashAuthKey(keys.authKey),
        keys.boxPk,
        keys.signPk,
        keys.protectedSecret,
        new TotpSecretBox(config.dataKeys).seal(staffId, totpSecret),
        options.invitedBy ?? null,
      ],
    );
    for (const teamId of teamIds)
      await client.query('INSERT INTO staff_teams (staff_id, team_id) VALUES ($1, $2)', [staffId, teamId]);
  } finally {
    await client.close();
  }
  const account: TestStaffAccount = {
    staffId,
    login,
    role: options.role,
    teamIds,
    authKey: toB64u(keys.authKey),
    totpSecret,
    lastStep: null,
  };
  return { account, derived: keys.derived };
}

/** An account row (active unless told otherwise) with filler keys, not signed in. */
export async function createStaffRow(
  api: RunningApp,
  db: { url: string },
  options: StaffOptions,
): Promise<TestStaffAccount> {
  return (await insertStaffRow(api, db, options)).account;
}

/**
 * A TOTP code for a step after `lastStep` and within the server's ±1 step window, waiting for the
 * clock when both the current and the next step are used up.
 */
export async function nextTotpCode(
  secret: string,
  lastStep: number | null,
): Promise<{ code: string; step: number }> {
  for (;;) {
    const now = Date.now();
    const current = Math.floor(now / 30_000);
    const step = lastStep === null || lastStep < current ? current : lastStep + 1;
    if (step <= current + 1) return { code: await totpCodeAt(secret, new Date(step * 30_000 + 1_000)), step };
    await new Promise((r) => setTimeout(r, (current + 1) * 30_000 - now + 50));
  }
}

/** crypto-v1 §7: a nonce such that SHA-256(challenge || nonce) has `difficulty` leading zero bits. */
export function solvePow(challenge: string, difficulty: number): string {
  const bytes = Buffer.from(challenge, 'base64url');
  const nonce = Buffer.alloc(8);
  for (let i = 0; ; i++) {
    nonce.writeUInt32BE(Math.floor(i / 2 ** 32), 0);
    nonce.writeUInt32BE(i >>> 0, 4);
    if (leadingZeroBits(createHash('sha256').update(bytes).update(nonce).digest()) >= difficulty)
      return nonce.toString('base64url');
  }
}

/**
 * POST /v1/staff/login as the clients do it: when the answer is 401 `login/pow_required`, solve the
 * challenge and send the same sign-in again with it. Returns the last answer.
 */
export async function postLogin(
  api: RunningApp,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown>; powRounds: number }> {
  let pow: { challenge: string; nonce: string } | undefined;
  for (let round = 0; ; round++) {
    const res = await fetch(`${api.url}/v1/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(pow ? { ...body, pow } : body),
    });
    const answer = (await res.json()) as Record<string, unknown>;
    const asked = answer.pow as { challenge: string; difficulty: number } | undefined;
    if (res.status !== 401 || answer.reason !== 'login/pow_required' || !asked || round >= 3)
      return { status: res.status, body: answer, powRounds: round };
    pow = { challenge: asked.challenge, nonce: solvePow(asked.challenge, asked.difficulty) };
  }
}

/** Signs an account in through the API (solving a proof of work if asked); throws if that fails. */
export async function signIn(api: RunningApp, account: TestStaffAccount): Promise<TestStaff> {
  const { code, step } = await nextTotpCode(account.totpSecret, account.lastStep);
  const res = await postLogin(api, { login: account.login, authKey: account.authKey, totpCode: code });
  const body = res.body as { token?: string };
  if (res.status !== 200 || !body.token)
    throw new Error(`sign-in of ${account.login} failed: ${res.status} ${JSON.stringify(body)}`);
  account.lastStep = step;
  return Object.assign(account, { token: body.token, headers: { authorization: `Bearer ${body.token}` } });
}

/** An active, signed-in staff member in one call. */
export async function signedInStaff(
  api: RunningApp,
  db: { url: string },
  options: StaffOptions,
): Promise<TestStaff> {
  return signIn(api, await createStaffRow(api, db, options));
}
