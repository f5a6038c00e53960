import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = process.cwd(); // jest runs from the repository root
const entry = (app: string): string => join(root, 'dist', 'apps', app, 'apps', app, 'src', 'main.js');

function boot(app: string, env: Record<string, string>): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [entry(app)], {
    env: { PATH: process.env.PATH ?? '', PANAH_ENV_FILE: '/dev/null', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stderr: result.stderr };
}

describe('a process started with an invalid configuration', () => {
  beforeAll(() => {
    if (!existsSync(entry('api'))) throw new Error('build first: npm run build (the test command does)');
  });

  it.each(['api', 'worker'])('%s exits non-zero naming the bad variable', (app) => {
    const { status, stderr } = boot(app, {
      NODE_ENV: 'development',
      API_PORT: 'not-a-port',
      WORKER_PORT: 'nope',
      REDIS_URL: 'http://x',
    });
    expect(status).not.toBe(0);
    expect(stderr).toContain('REDIS_URL');
    expect(stderr).toMatch(app === 'api' ? /API_PORT/ : /WORKER_PORT/);
  });

  it('refuses to start in production without its secrets, naming each one', () => {
    const { status, stderr } = boot('api', { NODE_ENV: 'production' });
    expect(status).not.toBe(0);
    for (const name of ['DEPLOYMENT_ID', 'DATA_KEYS', 'TOKEN_KEY']) expect(stderr).toContain(name);
  });

  it('rejects a data key of the wrong length by name', () => {
    const { status, stderr } = boot('worker', {
      NODE_ENV: 'production',
      DEPLOYMENT_ID: 'prod-1',
      DATA_KEYS: 'k1:c2hvcnQ',
      DATA_KEY_ID: 'k1',
      TOKEN_KEY: 'x'.repeat(43),
    });
    expect(status).not.toBe(0);
    expect(stderr).toContain('DATA_KEYS');
  });
});
