import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDotEnv } from '@panah/config';
import { cryptoReady, generateStaffKeys, toB64u } from '@panah/crypto';
import { createTestDatabase, rowsOf, TestDatabase } from '../support/database';
import { panah } from '../support/cli';

describe('panah setup', () => {
  let db: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    await cryptoReady();
    db = await createTestDatabase({ migrate: false });
    dir = mkdtempSync(join(tmpdir(), 'panah-setup-'));
  });
  afterAll(async () => {
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const snapshot = async (envFile: string, rootKey: string) => ({
    env: readFileSync(envFile, 'utf8'),
    rootKey: readFileSync(rootKey, 'utf8'),
    directories: await rowsOf(db.url, 'SELECT serial, document FROM key_directories ORDER BY serial'),
    invitations: await rowsOf(db.url, 'SELECT id, kind, revoked_at FROM staff_invitations ORDER BY id'),
    audit: await rowsOf(db.url, 'SELECT count(*)::int AS n FROM audit_log'),
  });

  it('does the whole ceremony once; a second run says what exists and changes nothing', async () => {
    const envFile = join(dir, '.env');
    const rootKey = join(dir, 'keys', 'root-key.json');
    const caseworker = toB64u(generateStaffKeys().boxKeyPair.publicKey);
    const recovery = toB64u(generateStaffKeys().boxKeyPair.publicKey);
    const args = [
      'setup',
      '--env-file',
      envFile,
      '--root-key',
      rootKey,
      '--public-url',
      'https://panah.example.org',
      '--caseworker-key',
      `${caseworker}:Desk A`,
      '--recovery-key',
      `${recovery}:safe`,
    ];
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: 'redis://127.0.0.1:6379',
      PANAH_ROOT_PASSPHRASE: 'correct horse battery staple',
    };

    const first = await panah(args, env);
    expect(first.err).toEqual([]);
    expect(first.code).toBe(0);
    const out = first.out.join('\n');
    expect(out).toMatch(/created \(kid /);
    expect(out).toMatch(/published serial 1: 1 caseworker key\(s\) and a recovery key/);
    expect(out).toMatch(/\/console\/#\/register\/pa_/);
    const written = readFileSync(envFile, 'utf8');
    for (const name of [
      'NODE_ENV=production',
      'DEPLOYMENT_ID=',
      'PUBLIC_URL=https://panah.example.org',
      'DATA_KEYS=k1:',
      'TOKEN_KEY=',
      'DIRECTORY_ROOT_PUBLIC_KEY=',
      `DATABASE_URL=${db.url}`,
    ])
      expect(written).toContain(name);
    expect(written).not.toContain('correct horse'); // the passphrase is never written anywhere

    // As the real CLI does: .env under the environment (in-process runs take the environment as given).
    const next = await panah(['next-step'], { ...parseDotEnv(readFileSync(envFile, 'utf8')), ...env });
    expect(next.out.join('\n')).toMatch(/^next: the founding admins register with their setup links/);

    const before = await snapshot(envFile, rootKey);
    expect(before.directories).toHaveLength(1);
    const second = await panah(args, env);
    expect(second.code).toBe(0);
    expect(second.out.join('\n')).toMatch(/Nothing to do: this deployment is set up \(nothing was changed\)/);
    expect(second.out.join('\n')).toMatch(/exists \(kid .*\): kept, never overwritten/);
    expect(await snapshot(envFile, rootKey)).toEqual(before);

    // Without the passphrase and without any flags, a rerun still changes nothing (nothing to sign).
    const bare = await panah(['setup', '--env-file', envFile, '--root-key', rootKey], {
      DATABASE_URL: db.url,
    });
    expect(bare.code).toBe(0);
    expect(await snapshot(envFile, rootKey)).toEqual(before);
  });

  it('refuses a .env pinned to another root key, and never overwrites a root key file', async () => {
    const envFile = join(dir, 'other.env');
    const rootKey = join(dir, 'keys', 'root-key.json'); // the first test's key
    writeFileSync(envFile, `DIRECTORY_ROOT_PUBLIC_KEY=${'A'.repeat(43)}\n`);
    const keyBefore = readFileSync(rootKey, 'utf8');
    const run = await panah(['setup', '--env-file', envFile, '--root-key', rootKey], {
      DATABASE_URL: db.url,
      PANAH_ROOT_PASSPHRASE: 'correct horse battery staple',
    });
    expect(run.code).not.toBe(0);
    expect(run.err.join('\n')).toMatch(/pins DIRECTORY_ROOT_PUBLIC_KEY to another root key/);
    expect(readFileSync(rootKey, 'utf8')).toBe(keyBefore);
    expect(readFileSync(envFile, 'utf8')).toBe(`DIRECTORY_ROOT_PUBLIC_KEY=${'A'.repeat(43)}\n`);
  });
});
