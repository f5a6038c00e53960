import { randomBytes } from 'node:crypto';
import { type RunningApp, startApi } from '../support/apps';
import { testConfig } from '../support/config';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createStaffRow, nextTotpCode, postLogin, signIn, type TestStaffAccount } from '../support/staff';

interface Attempt {
  readonly status: number;
  readonly body: string;
  readonly contentType: string | null;
}

/**
 * Sign-in failures must not tell an attacker which part was wrong: unknown login, wrong key,
 * wrong TOTP code, a pending or suspended account all get the same status and byte-identical
 * body, after similar work.
 */
describe('staff sign-in failures', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let active: TestStaffAccount;
  let pending: TestStaffAccount;
  let suspended: TestStaffAccount;

  const attempt = async (body: Record<string, string>): Promise<Attempt> => {
    const res = await fetch(`${api.url}/v1/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text, contentType: res.headers.get('content-type') };
  };
  const randomKey = () => randomBytes(32).toString('base64url');

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startApi(testConfig(db.url));
    active = await createStaffRow(api, db, { role: 'caseworker' });
    pending = await createStaffRow(api, db, { role: 'caseworker', status: 'pending_vetting' });
    suspended = await createStaffRow(api, db, { role: 'supervisor', status: 'suspended' });
  });
  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('answers unknown login, wrong key, wrong code, pending and suspended accounts identically', async () => {
    const code = async (a: TestStaffAccount) => (await nextTotpCode(a.totpSecret, a.lastStep)).code;
    const good = await code(active);
    const wrongCode = String((Number(good) + 1) % 1_000_000).padStart(6, '0');
    const warm = await attempt({ login: 'warm.up', authKey: randomKey(), totpCode: good }); // first-request costs
    expect(warm.status).toBe(401);
    const results = {
      unknownLogin: await attempt({ login: 'no.such.person', authKey: randomKey(), totpCode: good }),
      wrongKey: await attempt({ login: active.login, authKey: randomKey(), totpCode: good }),
      wrongCode: await attempt({ login: active.login, authKey: active.authKey, totpCode: wrongCode }),
      pending: await attempt({
        login: pending.login,
        authKey: pending.authKey,
        totpCode: await code(pending),
      }),
      suspended: await attempt({
        login: suspended.login,
        authKey: suspended.authKey,
        totpCode: await code(suspended),
      }),
    };
    const reference = results.unknownLogin;
    expect(reference.status).toBe(401);
    expect(JSON.parse(reference.body)).toEqual({
      statusCode: 401,
      code: 'auth/unauthenticated',
      reason: 'login/failed',
      message: 'Sign-in failed',
    });
    for (const r of Object.values(results)) {
      expect({ status: r.status, body: r.body, contentType: r.contentType }).toEqual({
        status: reference.status,
        body: reference.body,
        contentType: reference.contentType,
      });
    }
    // Timing is not asserted here (shared machines make it flaky): unknown logins run a dummy
    // Argon2id verification so there is no fast path; `npm run bench -- login` prints the figures.

    // The account was not harmed by the failures: the right key and code still sign in.
    await signIn(api, active);
  });

  it('serves a stable fake kdf salt for unknown logins, shaped like a real one', async () => {
    const prelogin = async (login: string) =>
      (await (
        await fetch(`${api.url}/v1/staff/prelogin`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ login }),
        })
      ).json()) as {
        kdfSalt: string;
        opslimit: number;
      };
    const fake1 = await prelogin('ghost.one');
    expect(await prelogin('ghost.one')).toEqual(fake1);
    expect((await prelogin('ghost.two')).kdfSalt).not.toBe(fake1.kdfSalt);
    const real = await prelogin(active.login);
    expect(real.kdfSalt).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(fake1.kdfSalt).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Object.keys(real).sort()).toEqual(Object.keys(fake1).sort());
  });

  it('asks repeated attempts on one account for a proof of work instead of refusing them', async () => {
    const victim = await createStaffRow(api, db, { role: 'admin' });
    const statuses: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await attempt({ login: victim.login, authKey: randomKey(), totpCode: '000000' });
      statuses.push(`${r.status} ${(JSON.parse(r.body) as { reason: string }).reason}`);
    }
    expect(statuses).toEqual([...Array(5).fill('401 login/failed'), '401 login/pow_required']);
    // The right key and code still sign in: the proof of work is solved and the sign-in sent again.
    const { code } = await nextTotpCode(victim.totpSecret, null);
    const owner = await postLogin(api, { login: victim.login, authKey: victim.authKey, totpCode: code });
    expect({ status: owner.status, powRounds: owner.powRounds }).toEqual({ status: 200, powRounds: 1 });
    // Unknown logins are treated the same way, so the demand reveals nothing either.
    for (let i = 0; i < 5; i++)
      await attempt({ login: 'ghost.three', authKey: randomKey(), totpCode: '000000' });
    const ghost = await attempt({ login: 'ghost.three', authKey: randomKey(), totpCode: '000000' });
    expect(ghost.status).toBe(401);
    expect(JSON.parse(ghost.body)).toMatchObject({ reason: 'login/pow_required' });
  });

  it('refuses malformed sign-in requests with 400 and the field, never 5xx', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ login: 'ok.name', authKey: 'short', totpCode: '123456' }, 'authKey'],
      [{ login: 'Bad Name!', authKey: randomKey(), totpCode: '123456' }, 'login'],
      [{ login: 'ok.name', authKey: randomKey(), totpCode: '12345' }, 'totpCode'],
      [{ login: 'ok.name', authKey: randomKey() }, 'totpCode'],
      [
        { login: 'ok.name', authKey: randomKey(), totpCode: '123456', recoveryCode: 'AAAA-BBBB-CCCC-DDDD' },
        'totpCode',
      ],
      [{ login: 'ok.name', authKey: randomKey(), totpCode: 123456 }, 'totpCode'],
    ];
    for (const [body, path] of cases) {
      const res = await fetch(`${api.url}/v1/staff/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as { fields?: { path: string }[] };
      expect({ status: res.status, paths: json.fields?.map((f) => f.path) }).toEqual({
        status: 400,
        paths: expect.arrayContaining([path]),
      });
    }
  });
});
