import { randomBytes } from 'node:crypto';
import { startApi } from '../test/support/apps';
import { testConfig } from '../test/support/config';
import { createTestDatabase } from '../test/support/database';
import { createStaffRow, nextTotpCode } from '../test/support/staff';
import { percentile } from './harness';

/**
 * Staff sign-in failure timing: an unknown login must cost what a known login with a wrong key
 * costs (a dummy Argon2id verification), so timing does not reveal which logins exist.
 * Each attempt uses a fresh login name so the per-account throttle does not add delays.
 */
export async function run(): Promise<void> {
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
