import { randomBytes } from 'node:crypto';
import { startApi } from '../test/support/apps';
import { testConfig } from '../test/support/config';
import { createTestDatabase } from '../test/support/database';
import { createStaffRow, nextTotpCode } from '../test/support/staff';
import { percentile } from './harness';

/**
 * Sign-ins under load (issue 18 point 9): 48 accounts sign in, 8 at a time, against a fresh API
 * while a probe asks `/health/live` back to back; prints sign-ins per second and the probe's p50
 * and p99. With Argon2id on the event loop every probe waits behind the verifications; with the
 * worker-thread pool (ARGON2_THREADS) it does not. Self-contained (fetch only), so the same file
 * runs against an older commit for a before/after figure.
 */
async function signInsUnderLoad(): Promise<void> {
  const db = await createTestDatabase();
  // 48 sign-ins from one address stay under every per-source limit, old and new.
  const api = await startApi(testConfig(db.url, { LOG_LEVEL: 'warn', LOGIN_FREE_ATTEMPTS: '1000' }));
  try {
    const accounts = await Promise.all(
      Array.from({ length: 48 }, () => createStaffRow(api, db, { role: 'caseworker' })),
    );
    const codes = await Promise.all(accounts.map((a) => nextTotpCode(a.totpSecret, a.lastStep)));
    const health: number[] = [];
    let running = true;
    const probe = (async () => {
      while (running) {
        const started = performance.now();
        await (await fetch(`${api.url}/health/live`)).text();
        health.push(performance.now() - started);
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 300)); // the probe's idle figures first
    const idle = health.length;
    const started = performance.now();
    let next = 0;
    let ok = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < accounts.length) {
          const i = next++;
          const res = await fetch(`${api.url}/v1/staff/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              login: accounts[i]!.login,
              authKey: accounts[i]!.authKey,
              totpCode: codes[i]!.code,
            }),
          });
          await res.text();
          if (res.status === 200) ok += 1;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    running = false;
    await probe;
    const during = health.slice(idle);
    console.log(
      `sign-ins under load             ${(ok / seconds).toFixed(1).padStart(6)} /s   (${ok}/${accounts.length} ok, 8 in parallel, ${seconds.toFixed(1)} s)`,
    );
    console.log(
      `/health/live during sign-ins    p50 ${percentile(during, 50).toFixed(1).padStart(6)} ms   p99 ${percentile(during, 99).toFixed(1).padStart(6)} ms   n=${during.length}`,
    );
  } finally {
    await api.close();
    await db.drop();
  }
}

/**
 * Staff sign-in failure timing: an unknown login must cost what a known login with a wrong key
 * costs (a dummy Argon2id verification), so timing does not reveal which logins exist.
 * Each attempt uses a fresh login name so the per-account throttle does not ask for work.
 */
export async function run(): Promise<void> {
  await signInsUnderLoad();
  const db = await createTestDatabase();
  const api = await startApi(testConfig(db.url, { LOG_LEVEL: 'warn' }));
  try {
    const accounts = await Promise.all(
      Array.from({ length: 25 }, () => createStaffRow(api, db, { role: 'caseworker' })),
    );
    const post = async (body: Record<string, string>): Promise<number> => {
      const started = performance.now();
      await (
        await fetch(`${api.url}/v1/staff/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).text();
      return performance.now() - started;
    };
    const key = () => randomBytes(32).toString('base64url');
    const unknown: number[] = [];
    const wrongKey: number[] = [];
    // 50 attempts: under the per-source limit (60 per 15 minutes) so no throttle delay is mixed in.
    for (const a of accounts) {
      const { code } = await nextTotpCode(a.totpSecret, a.lastStep);
      unknown.push(
        await post({ login: `ghost.${randomBytes(4).toString('hex')}`, authKey: key(), totpCode: code }),
      );
      wrongKey.push(await post({ login: a.login, authKey: key(), totpCode: code }));
    }
    const line = (name: string, xs: number[]) =>
      console.log(
        `${name.padEnd(28)} p50 ${percentile(xs, 50).toFixed(1).padStart(6)} ms   p99 ${percentile(xs, 99).toFixed(1).padStart(6)} ms   n=${xs.length}`,
      );
    line('login: unknown login', unknown);
    line('login: known login, bad key', wrongKey);
    console.log(
      `ratio of medians (unknown / known) ${(percentile(unknown, 50) / percentile(wrongKey, 50)).toFixed(2)}`,
    );
  } finally {
    await api.close();
    await db.drop();
  }
}
