import { randomBytes } from 'node:crypto';
import { type RunningApp, startApi } from '../support/apps';
import { testConfig } from '../support/config';
import { createTestDatabase, rowsOf, type TestDatabase } from '../support/database';
import { createStaffRow, nextTotpCode, postLogin, solvePow, type TestStaffAccount } from '../support/staff';

/**
 * The attack (issue 18 point 4): knowing the on-call caseworker's login name, send five sign-ins
 * with it (even malformed ones) and the owner is locked out for the window, during an emergency.
 * Now nobody is locked out: attempts are counted per (login name, source); past the free ones an
 * attempt must carry a proof of work, which the owner's client solves too; malformed requests
 * count against nobody. TRUST_PROXY lets the per-source counts see the client behind a proxy.
 */
describe('hardening: no lockout by login name', () => {
  let db: TestDatabase;
  let api: RunningApp;
  const FREE = 5;

  const randomKey = () => randomBytes(32).toString('base64url');
  const raw = async (body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${api.url}/v1/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const ownerSignsIn = async (owner: TestStaffAccount, headers: Record<string, string> = {}) => {
    const { code, step } = await nextTotpCode(owner.totpSecret, owner.lastStep);
    const res = await postLogin(api, { login: owner.login, authKey: owner.authKey, totpCode: code }, headers);
    if (res.status === 200) owner.lastStep = step;
    return res;
  };
  const from = (address: string) => ({ 'x-forwarded-for': address });

  beforeAll(async () => {
    db = await createTestDatabase();
    // One reverse proxy in front (the test itself): X-Forwarded-For names the client.
    api = await startApi(
      testConfig(db.url, { LOG_LEVEL: 'warn', TRUST_PROXY: '1', LOGIN_FREE_ATTEMPTS: String(FREE) }),
    );
  });
  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it("lets the owner sign in from their own source after an attacker's many attempts from another", async () => {
    const owner = await createStaffRow(api, db, { role: 'caseworker' });
    const answers: string[] = [];
    for (let i = 0; i < 30; i++) {
      const r = await raw(
        { login: owner.login, authKey: randomKey(), totpCode: '000000' },
        from('203.0.113.66'),
      );
      answers.push(`${r.status} ${String(r.body.reason)}`);
    }
    // Bounded: five free guesses, then every further one needs a proof of work; never a lockout.
    expect(answers.slice(0, FREE)).toEqual(Array(FREE).fill('401 login/failed'));
    expect(new Set(answers.slice(FREE))).toEqual(new Set(['401 login/pow_required']));
    // The owner, from their own address, signs in: no work asked until the account-wide count is
    // high, and then only the base difficulty, which their client solves.
    const signedIn = await ownerSignsIn(owner, from('198.51.100.7'));
    expect(signedIn.status).toBe(200);
    expect(signedIn.powRounds).toBeLessThanOrEqual(1);
    expect(typeof signedIn.body.token).toBe('string');
  });

  it('keeps the owner signing in without any work after many malformed requests with their login name', async () => {
    const owner = await createStaffRow(api, db, { role: 'caseworker' });
    const malformed: unknown[] = [
      { login: owner.login, authKey: 'short', totpCode: '123456' },
      { login: owner.login, authKey: randomKey() },
      { login: owner.login, authKey: randomKey(), totpCode: 123456 },
      { login: owner.login, authKey: randomKey(), totpCode: '12345' },
      { login: owner.login, authKey: randomKey(), totpCode: '123456', recoveryCode: 'AAAA-BBBB-CCCC-DDDD' },
      { login: owner.login, authKey: randomKey(), totpCode: '123456', pow: 'x' },
      { login: owner.login, authKey: randomKey(), totpCode: '123456', pow: { challenge: 'AA', nonce: 'AA' } },
      { login: owner.login, authKey: { $gt: '' }, totpCode: '123456' },
      `{"login":"${owner.login}","authKey":`,
    ];
    for (let round = 0; round < 5; round++) {
      for (const body of malformed) {
        const r = await raw(body);
        expect(r.status).toBe(400);
      }
    }
    // Same source, same login name, 45 refused requests: the first real sign-in needs no work.
    const signedIn = await ownerSignsIn(owner);
    expect({ status: signedIn.status, powRounds: signedIn.powRounds }).toEqual({ status: 200, powRounds: 0 });
  });

  it('bounds brute force from one source: past the free guesses each needs fresh, growing work', async () => {
    const target = await createStaffRow(api, db, { role: 'admin' });
    const guess = (pow?: { challenge: string; nonce: string }) =>
      raw(
        { login: target.login, authKey: randomKey(), totpCode: '000000', ...(pow ? { pow } : {}) },
        from('192.0.2.9'),
      );
    for (let i = 0; i < FREE; i++) expect((await guess()).body.reason).toBe('login/failed');
    const demanded = await guess();
    expect(demanded).toMatchObject({ status: 401, body: { reason: 'login/pow_required' } });
    const pow = demanded.body.pow as { challenge: string; difficulty: number; algorithm: string };
    expect(pow).toMatchObject({ difficulty: 8, algorithm: 'sha256' });
    expect(pow.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // A solved proof buys exactly one real attempt (checked and refused like any wrong guess)…
    const solved = { challenge: pow.challenge, nonce: solvePow(pow.challenge, pow.difficulty) };
    expect((await guess(solved)).body.reason).toBe('login/failed');
    // …and is single use.
    expect((await guess(solved)).body.reason).toBe('login/pow_required');
    // A proof for another login name, or a forged challenge, buys nothing.
    const other = await raw({ login: 'someone.else', authKey: randomKey(), totpCode: '000000' });
    expect(other.body.reason).toBe('login/failed');
    const forged = randomBytes(32).toString('base64url');
    expect((await guess({ challenge: forged, nonce: solvePow(forged, 8) })).body.reason).toBe(
      'login/pow_required',
    );

    // The work grows as the same source keeps guessing (twice the free attempts: one more bit).
    let last = demanded;
    for (let i = 0; i < 2 * FREE; i++) last = await guess();
    expect((last.body.pow as { difficulty: number }).difficulty).toBeGreaterThan(8);
    // None of it locked the owner out.
    expect((await ownerSignsIn(target, from('198.51.100.8'))).status).toBe(200);
  });

  it('records no login name and keeps no address: failures are audited by reason only', async () => {
    const rows = await rowsOf<{ details: unknown }>(
      db.url,
      "SELECT details FROM audit_log WHERE action = 'staff.login_failed' LIMIT 50",
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(JSON.stringify(r.details)).not.toMatch(/203\.0\.113|198\.51|192\.0\.2/);
  });
});

describe('hardening: TRUST_PROXY off by default', () => {
  let db: TestDatabase;
  let api: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startApi(testConfig(db.url, { LOG_LEVEL: 'warn' }));
  });
  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('ignores X-Forwarded-For: a forged header does not give an attacker a fresh source', async () => {
    const owner = await createStaffRow(api, db, { role: 'caseworker' });
    const answers: string[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await fetch(`${api.url}/v1/staff/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i + 1}` },
        body: JSON.stringify({
          login: owner.login,
          authKey: randomBytes(32).toString('base64url'),
          totpCode: '000000',
        }),
      });
      answers.push(String(((await res.json()) as { reason: string }).reason));
    }
    expect(answers.slice(5)).toEqual(['login/pow_required', 'login/pow_required']);
  });
});
