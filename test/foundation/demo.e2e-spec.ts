/**
 * The demo (issue 19 point 3): `panah demo prepare`, then the real API and worker with DEMO_MODE
 * (the worker's mail catcher on one of this file's private ports), `panah demo seed` through the
 * API, `panah demo report` as a reporter's client, and the caseworker's alert at /dev/mail.
 * Without DEMO_MODE, /dev/mail does not exist. The scripted clone-and-run of the same path is
 * scripts/clone-check.sh (a .ci/run step).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, parseDotEnv } from '@panah/config';
import { RunningApp, startApi, startWorker } from '../support/apps';
import { panah } from '../support/cli';
import { testConfig } from '../support/config';
import { createTestDatabase, TestDatabase } from '../support/database';

/**
 * The built CLI as its own process (as a person runs it): the CLI's Argon2id derivations block
 * its own event loop, not the in-process API's. PANAH_ENV_FILE=/dev/null unless the test names a
 * file, so a .env in the working directory is never read by accident.
 */
function cli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; out: string[]; err: string[] }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['dist/apps/cli/apps/cli/src/main.js', ...args],
      { env: { PATH: process.env.PATH ?? '', PANAH_ENV_FILE: '/dev/null', ...env }, timeout: 240_000 },
      (error, stdout, stderr) =>
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
          out: stdout.split('\n').filter(Boolean),
          err: stderr.split('\n').filter(Boolean),
        }),
    );
  });
}

const MAIL_PORT = 25562; // private to this worktree's tests (issue 19 helper range 25560–25569)

describe('the demo deployment', () => {
  let db: TestDatabase;
  let dir: string;
  let api: RunningApp | undefined;
  let worker: RunningApp | undefined;
  let plain: RunningApp | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'panah-demo-'));
  });
  afterAll(async () => {
    await plain?.close();
    await worker?.close();
    await api?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has no /dev/mail outside demo mode', async () => {
    plain = await startApi(testConfig(db.url));
    for (const path of ['/dev/mail', '/dev/mail.json'])
      expect((await fetch(`${plain.url}${path}`)).status).toBe(404);
    await plain.close();
  });

  it("seeds through the API, files a report as a reporter would, and shows the caseworker's alert at /dev/mail", async () => {
    const envFile = join(dir, 'demo.env');
    // An existing file without a trailing newline: prepare appends its settings on a line of their own.
    writeFileSync(envFile, '# kept by prepare\nAPI_HOST=127.0.0.1', { mode: 0o600 });
    const prepared = await panah(['demo', '--dir', dir, 'prepare'], {
      PANAH_ENV_FILE: envFile,
      DATABASE_URL: db.url,
      SMTP_URL: `smtp://127.0.0.1:${MAIL_PORT}`,
      REDIS_PREFIX: `panah-t-${process.pid}-demo-${randomBytes(4).toString('hex')}`,
    });
    expect(prepared).toMatchObject({ code: 0 });
    const file = parseDotEnv(readFileSync(envFile, 'utf8'));
    expect(file).toMatchObject({
      API_HOST: '127.0.0.1',
      NODE_ENV: 'development',
      DEMO_MODE: 'true',
      DATABASE_URL: db.url,
    });
    // Processes read the file under the environment; the test lets its servers pick free ports.
    const env = { ...file, NODE_ENV: 'test', API_PORT: '0', WORKER_PORT: '0', OUTBOX_POLL_MS: '200' };
    const config = loadConfig(env);
    expect(config.demo).toEqual({ mailCatcher: { host: '127.0.0.1', port: MAIL_PORT } });
    api = await startApi(config);
    worker = await startWorker(config);
    expect((await fetch(`${api.url}/dev/mail.json`).then((r) => r.json())) as unknown).toEqual({
      messages: [],
    });

    const seeded = await cli(['demo', '--dir', dir, 'seed', '--api', api.url], env);
    expect(seeded.err).toEqual([]);
    expect(seeded).toMatchObject({ code: 0 });
    const seedText = seeded.out.join('\n');
    expect(seedText).toMatch(/TOTP secret: +[A-Z2-7]{32}/);
    expect(seedText).toContain(`console:        ${api.url}/console/`);
    expect(seedText).toContain('password "mina demo password"');

    const again = await cli(['demo', '--dir', dir, 'seed', '--api', api.url], env);
    expect(again).toMatchObject({ code: 0 });
    expect(again.out.join('\n')).toContain('unchanged');
    expect(again.out.join('\n')).not.toMatch(/TOTP secret: +[A-Z2-7]{32}/); // printed once

    const report = await cli(['demo', '--dir', dir, 'report', '--api', api.url, '--timeout', '120'], {});
    expect(report.err).toEqual([]);
    expect(report).toMatchObject({ code: 0 });
    expect(report.out.join('\n')).toMatch(/alert email to mina@demo\.panah\.example after/);

    const page = await fetch(`${api.url}/dev/mail`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('mina@demo.panah.example');
    expect(html).toMatch(/<a href="[^"]+\/ack#pk_[A-Za-z0-9_-]{43}">/);
    const totp = await panah(['demo', '--dir', dir, 'totp'], {});
    expect(totp.out[0]).toMatch(/^\d{6}$/);
    // One test runs every step: its own limit, above what its steps take together (the report's alert
    // wait is 120 s; a hung CLI run is killed at 240 s, inside this limit), not Jest's 120 s default.
  }, 400_000);
});
