import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  cryptoReady,
  deriveStaffKeys,
  generateStaffKdfSalt,
  generateStaffKeys,
  openStaffSecret,
  protectStaffSecret,
  signSeedOf,
  toB64u,
} from '@panah/crypto';
import { newTotpSecret } from '@panah/identity';
import { type RunningApp, startApi } from '../support/apps';
import { panah } from '../support/cli';
import { createTestDatabase, sql, type TestDatabase } from '../support/database';
import { nextTotpCode } from '../support/staff';
import { sharedEnv } from './env';

/**
 * The whole staff path through the real API, PostgreSQL and Redis: bootstrap → founding admins
 * register (CLI) → invitation → registration with TOTP → four-eyes approval → sign-in, and the
 * ways it must fail. At the end every log line of the API is searched for every secret it saw.
 */
describe('staff identity, end to end', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let env: Record<string, string>;
  const dir = mkdtempSync(join(tmpdir(), 'panah-staff-'));
  /** Every secret that went through the system; none may appear in a log line. */
  const secrets: string[] = [];
  const totpCodes: string[] = [];

  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(`${api.url}/v1${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return {
      status: res.status,
      body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> & { [k: string]: unknown },
    };
  };

  /** A founding admin registered and signed in through the CLI, as a person would. */
  const founders: {
    login: string;
    password: string;
    totpSecret: string;
    lastStep: number | null;
    sessionFile: string;
    token?: string;
    staffId?: string;
  }[] = [];

  beforeAll(async () => {
    await cryptoReady();
    db = await createTestDatabase();
    const shared = sharedEnv(db.url);
    env = shared.env;
    api = await startApi(shared.config);
    env.PANAH_API_URL = api.url;
  });
  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('bootstraps two founding admins who register and sign in through the CLI', async () => {
    const boot = await panah(['admin', 'bootstrap'], env);
    expect(boot.code).toBe(0);
    const tokens = boot.out.join('\n').match(/pa_[A-Za-z0-9_-]{43}/g) ?? [];
    expect(tokens).toHaveLength(2);
    secrets.push(...tokens);
    expect(boot.out.join('\n')).toContain('/v1/staff/register');

    for (const [i, token] of tokens.entries()) {
      const person = {
        login: `founder${i + 1}`,
        password: `correct horse battery ${i}`,
        totpSecret: newTotpSecret(),
        lastStep: null as number | null,
        sessionFile: join(dir, `s${i}.json`),
      };
      secrets.push(person.password, person.totpSecret);
      const enrol = await nextTotpCode(person.totpSecret, null);
      totpCodes.push(enrol.code);
      const reg = await panah(['staff', 'register', '--login', person.login], {
        ...env,
        PANAH_INVITATION_TOKEN: token,
        PANAH_STAFF_PASSWORD: person.password,
        PANAH_TOTP_SECRET: person.totpSecret,
        PANAH_TOTP_CODE: enrol.code,
      });
      expect(reg).toMatchObject({ code: 0 });
      expect(reg.out.join('\n')).toMatch(/status active/);
      secrets.push(...reg.out.filter((l) => /^\s+[A-Z2-9]{4}-/.test(l)).map((l) => l.trim()));
      person.lastStep = enrol.step;

      const code = await nextTotpCode(person.totpSecret, person.lastStep);
      totpCodes.push(code.code);
      const login = await panah(
        ['staff', 'login', '--login', person.login, '--session-file', person.sessionFile],
        {
          ...env,
          PANAH_STAFF_PASSWORD: person.password,
          PANAH_TOTP_CODE: code.code,
        },
      );
      expect(login).toMatchObject({ code: 0 });
      person.lastStep = code.step;
      expect(statSync(person.sessionFile).mode & 0o777).toBe(0o600);
      const who = await panah(['staff', 'whoami', '--session-file', person.sessionFile], env);
      expect(who.code).toBe(0);
      expect(who.out[0]).toMatch(new RegExp(`^${person.login} \\(admin, active\\)`));
      const { token: sessionToken, staffId } = JSON.parse(
        (await import('node:fs')).readFileSync(person.sessionFile, 'utf8'),
      ) as { token: string; staffId: string };
      secrets.push(sessionToken);
      founders.push({ ...person, token: sessionToken, staffId });
    }
  });

  it('refuses a second bootstrap once an admin exists', async () => {
    const again = await panah(['admin', 'bootstrap'], env);
    expect(again.code).toBe(1);
    expect(again.err.join('\n')).toMatch(/active admin exists/);
  });

  let teamId = '';
  let invitationToken = '';
  const invitee = {
    staffId: randomUUID(),
    login: 'caseworker.one',
    password: 'a long caseworker password',
    totpSecret: newTotpSecret(),
    authKey: '',
    lastStep: null as number | null,
    recoveryCodes: [] as string[],
    encKey: new Uint8Array() as Uint8Array,
  };

  async function registration(
    token: string,
    person: { staffId: string; login: string; password: string; totpSecret: string },
    lastStep: number | null,
  ) {
    const salt = generateStaffKdfSalt();
    const { authKey, encKey } = deriveStaffKeys(person.password, salt);
    const keys = generateStaffKeys();
    const code = await nextTotpCode(person.totpSecret, lastStep);
    totpCodes.push(code.code);
    const body = {
      invitationToken: token,
      staffId: person.staffId,
      login: person.login,
      kdfSalt: toB64u(salt),
      authKey: toB64u(authKey),
      boxPk: toB64u(keys.boxKeyPair.publicKey),
      signPk: toB64u(keys.signKeyPair.publicKey),
      protectedSecret: protectStaffSecret(
        keys.boxKeyPair.privateKey,
        signSeedOf(keys.signKeyPair.privateKey),
        person.staffId,
        encKey,
      ),
      totpSecret: person.totpSecret,
      totpCode: code.code,
    };
    return { body, step: code.step, encKey };
  }

  it('lets an admin invite a caseworker into a team, who registers with TOTP and waits for vetting', async () => {
    const admin1 = founders[0];
    const team = await call(
      'POST',
      '/admin/teams',
      { name: 'Berlin desk', regions: ['DE'], languages: ['prs', 'ps', 'de'] },
      admin1.token,
    );
    expect(team.status).toBe(201);
    teamId = team.body.id as string;
    const inv = await call(
      'POST',
      '/admin/invitations',
      { label: 'Caseworker one', role: 'caseworker', teamIds: [teamId] },
      admin1.token,
    );
    expect(inv.status).toBe(201);
    invitationToken = inv.body.token as string;
    secrets.push(invitationToken, invitee.password, invitee.totpSecret);

    const { body, step, encKey } = await registration(invitationToken, invitee, null);
    invitee.authKey = body.authKey;
    invitee.encKey = encKey;
    secrets.push(body.authKey);
    const reg = await call('POST', '/staff/register', body);
    expect(reg.status).toBe(201);
    expect(reg.body).toMatchObject({
      staffId: invitee.staffId,
      role: 'caseworker',
      status: 'pending_vetting',
    });
    expect(reg.body.recoveryCodes).toHaveLength(10);
    invitee.recoveryCodes = reg.body.recoveryCodes as string[];
    secrets.push(...invitee.recoveryCodes);
    invitee.lastStep = step;
  });

  it('refuses to sign in a pending account, with the same answer as an unknown login', async () => {
    const code = await nextTotpCode(invitee.totpSecret, invitee.lastStep);
    const pending = await call('POST', '/staff/login', {
      login: invitee.login,
      authKey: invitee.authKey,
      totpCode: code.code,
    });
    const unknown = await call('POST', '/staff/login', {
      login: 'nobody.here',
      authKey: invitee.authKey,
      totpCode: code.code,
    });
    expect(pending.status).toBe(401);
    expect(pending.body).toEqual(unknown.body);
  });

  it('refuses a reused invitation (409) and an expired one (401)', async () => {
    const other = {
      staffId: randomUUID(),
      login: 'someone.else',
      password: 'another long password',
      totpSecret: newTotpSecret(),
    };
    const reused = await call(
      'POST',
      '/staff/register',
      (await registration(invitationToken, other, null)).body,
    );
    expect(reused.status).toBe(409);
    expect(reused.body.reason).toBe('invitation/used');

    const inv = await call(
      'POST',
      '/admin/invitations',
      { label: 'Late', role: 'caseworker', teamIds: [] },
      founders[0].token,
    );
    secrets.push(inv.body.token as string);
    const client = await sql(db.url);
    await client.query(
      `UPDATE staff_invitations SET expires_at = now() - interval '1 minute' WHERE id = $1`,
      [inv.body.invitationId],
    );
    await client.close();
    const expired = await call(
      'POST',
      '/staff/register',
      (await registration(inv.body.token as string, other, null)).body,
    );
    expect(expired.status).toBe(401);
    expect(expired.body.reason).toBe('invitation/expired');
    const client2 = await sql(db.url);
    const rows = await client2.query('SELECT 1 FROM staff WHERE login = $1', [other.login]);
    await client2.close();
    expect(rows.rowCount).toBe(0); // nothing half-written
  });

  it('refuses approval by the inviting admin and accepts it from a second admin (four eyes)', async () => {
    const self = await call('POST', `/admin/staff/${invitee.staffId}/approve`, undefined, founders[0].token);
    expect(self.status).toBe(403);
    expect(self.body.reason).toBe('staff/inviter_cannot_approve');
    const ok = await call('POST', `/admin/staff/${invitee.staffId}/approve`, undefined, founders[1].token);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      status: 'active',
      approvedBy: founders[1].staffId,
      invitedBy: founders[0].staffId,
    });
    const twice = await call('POST', `/admin/staff/${invitee.staffId}/approve`, undefined, founders[1].token);
    expect(twice.status).toBe(409);
  });

  let caseworkerToken = '';
  it('signs the approved caseworker in, with their teams and key material', async () => {
    const code = await nextTotpCode(invitee.totpSecret, invitee.lastStep);
    totpCodes.push(code.code);
    const login = await call('POST', '/staff/login', {
      login: invitee.login,
      authKey: invitee.authKey,
      totpCode: code.code,
    });
    expect(login.status).toBe(200);
    invitee.lastStep = code.step;
    caseworkerToken = login.body.token as string;
    secrets.push(caseworkerToken);
    expect(caseworkerToken).toMatch(/^ps_[A-Za-z0-9_-]{43}$/);

    const replay = await call('POST', '/staff/login', {
      login: invitee.login,
      authKey: invitee.authKey,
      totpCode: code.code,
    });
    expect(replay.status).toBe(401); // the same code cannot be used twice

    const me = await call('GET', '/staff/me', undefined, caseworkerToken);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      staffId: invitee.staffId,
      role: 'caseworker',
      status: 'active',
      teams: [{ id: teamId, name: 'Berlin desk' }],
    });
    // The client can unlock its keys from what the server keeps (crypto-v1 §4), with encKey only.
    const keys = openStaffSecret(me.body.protectedSecret as string, invitee.staffId, invitee.encKey);
    expect(toB64u(keys.boxKeyPair.publicKey)).toBe(me.body.boxPk);
    const forbidden = await call('GET', '/admin/staff', undefined, caseworkerToken);
    expect(forbidden.status).toBe(403);
  });

  it("ends a suspended account's existing session at once", async () => {
    expect((await call('GET', '/staff/me', undefined, caseworkerToken)).status).toBe(200);
    const suspend = await call(
      'POST',
      `/admin/staff/${invitee.staffId}/suspend`,
      undefined,
      founders[1].token,
    );
    expect(suspend.status).toBe(200);
    expect(suspend.body.status).toBe('suspended');
    expect((await call('GET', '/staff/me', undefined, caseworkerToken)).status).toBe(401);
    // A valid second factor that does not wait for the next TOTP step: a recovery code.
    const recovery = {
      login: invitee.login,
      authKey: invitee.authKey,
      recoveryCode: invitee.recoveryCodes[0],
    };
    expect((await call('POST', '/staff/login', recovery)).status).toBe(401);
  });

  it('signs in once with each recovery code instead of a TOTP code', async () => {
    const admin2 = founders[1];
    const other = await call(
      'POST',
      '/admin/invitations',
      { label: 'Supervisor', role: 'supervisor', teamIds: [teamId] },
      founders[0].token,
    );
    secrets.push(other.body.token as string);
    const person = {
      staffId: randomUUID(),
      login: 'supervisor.one',
      password: 'supervisor long password',
      totpSecret: newTotpSecret(),
    };
    secrets.push(person.password, person.totpSecret);
    const { body } = await registration(other.body.token as string, person, null);
    secrets.push(body.authKey);
    const reg = await call('POST', '/staff/register', body);
    secrets.push(...(reg.body.recoveryCodes as string[]));
    expect(
      (await call('POST', `/admin/staff/${person.staffId}/approve`, undefined, admin2.token)).status,
    ).toBe(200);
    const code = (reg.body.recoveryCodes as string[])[3];
    const first = await call('POST', '/staff/login', {
      login: person.login,
      authKey: body.authKey,
      recoveryCode: code.toLowerCase(),
    });
    expect(first.status).toBe(200);
    secrets.push(first.body.token as string);
    const again = await call('POST', '/staff/login', {
      login: person.login,
      authKey: body.authKey,
      recoveryCode: code,
    });
    expect(again.status).toBe(401);
  });

  it('records every step in the audit log, which admins page through and `panah audit verify` accepts', async () => {
    const first = await call('GET', '/admin/audit?limit=5', undefined, founders[0].token);
    expect(first.status).toBe(200);
    const entries = first.body.entries as { seq: string; action: string }[];
    expect(entries).toHaveLength(5);
    const rest = await call(
      'GET',
      `/admin/audit?limit=200&cursor=${first.body.nextCursor as string}`,
      undefined,
      founders[0].token,
    );
    const actions = [...entries, ...(rest.body.entries as { action: string }[])].map((e) => e.action);
    for (const action of [
      'setup.link_created',
      'staff.registered',
      'invitation.created',
      'staff.approved',
      'staff.login_succeeded',
      'staff.login_failed',
      'staff.suspended',
      'team.created',
    ]) {
      expect(actions).toContain(action);
    }
    expect(rest.body.nextCursor).toBeNull();
    const verify = await panah(['audit', 'verify'], env);
    expect(verify.code).toBe(0);
    expect(verify.out[0]).toMatch(/^audit log intact: \d+ entries/);
  });

  it('logs out', async () => {
    const admin2 = founders[1];
    expect((await call('POST', '/staff/logout', undefined, admin2.token)).status).toBe(204);
    expect((await call('GET', '/staff/me', undefined, admin2.token)).status).toBe(401);
  });

  it('never writes a password, authKey, TOTP secret or code, token or recovery code to a log line', () => {
    expect(api.logs.lines.length).toBeGreaterThan(20);
    expect(secrets.length).toBeGreaterThan(15);
    expect(api.logs.containing(...secrets)).toEqual([]);
    const digits = totpCodes.map((c) => new RegExp(`(?<![0-9])${c}(?![0-9])`));
    expect(api.logs.lines.filter((line) => digits.some((re) => re.test(line)))).toEqual([]);
  });
});
