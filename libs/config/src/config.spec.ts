import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';

const key = (c: string): string => c.repeat(43);
const prod = {
  NODE_ENV: 'production',
  DEPLOYMENT_ID: 'prod-1',
  DATA_KEYS: `k1:${key('a')}`,
  DATA_KEY_ID: 'k1',
  TOKEN_KEY: key('b'),
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, { devSecretsFile: join(mkdtempSync(join(tmpdir(), 'panah-cfg-')), 's.json') });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => p.variable);
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('works on a fresh machine with no variables at all, generating development secrets once', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'panah-cfg-')), 'dev-secrets.json');
    const a = loadConfig({}, { devSecretsFile: file });
    const b = loadConfig({}, { devSecretsFile: file });
    expect(a.db.url).toBe('postgres://postgres@127.0.0.1:5432/panah');
    expect(a.redis.url).toBe('redis://127.0.0.1:6379');
    expect(a.tokenKey).toBe(b.tokenKey);
    expect(a.dataKeys.keys.get(a.dataKeys.current)).toBe(b.dataKeys.keys.get(b.dataKeys.current));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveProperty('deploymentId', a.deploymentId);
  });

  it('requires every secret in production and names each missing one', () => {
    expect(problemsOf({ NODE_ENV: 'production' }).sort()).toEqual([
      'DATA_KEYS',
      'DATA_KEY_ID',
      'DEPLOYMENT_ID',
      'TOKEN_KEY',
    ]);
    expect(problemsOf(prod)).toEqual([]);
  });

  it.each([
    ['API_PORT', 'http'],
    ['DATABASE_URL', 'mysql://x/y'],
    ['REDIS_URL', 'http://localhost'],
    ['REDIS_PREFIX', 'has space'],
    ['TOKEN_KEY', 'too-short'],
    ['DATA_KEYS', 'k1:short'],
    ['DATA_KEY_ID', 'missing'],
    ['LOG_LEVEL', 'loud'],
    ['BODY_LIMIT_BYTES', '-1'],
  ])('rejects a bad %s by name', (variable, value) => {
    expect(problemsOf({ ...prod, [variable]: value })).toContain(variable);
  });

  it('runs the demo (mail catcher, /dev/mail) only outside production and only on a loopback SMTP port', () => {
    expect(problemsOf({ ...prod, DEMO_MODE: 'true', SMTP_URL: 'smtp://127.0.0.1:2525' })).toEqual([
      'DEMO_MODE',
    ]);
    expect(problemsOf({ DEMO_MODE: 'true', SMTP_URL: 'smtp://mail.example.org:25' })).toEqual(['SMTP_URL']);
    expect(problemsOf({ DEMO_MODE: 'yes' })).toEqual(['DEMO_MODE']);
    const devSecretsFile = join(mkdtempSync(join(tmpdir(), 'panah-cfg-')), 's.json');
    expect(
      loadConfig({ DEMO_MODE: 'true', SMTP_URL: 'smtp://127.0.0.1:2525' }, { devSecretsFile }).demo,
    ).toEqual({
      mailCatcher: { host: '127.0.0.1', port: 2525 },
    });
    expect(loadConfig({}, { devSecretsFile }).demo).toBeNull();
    expect(loadConfig(prod).demo).toBeNull();
  });

  it('runs the demo only when the API listens on a loopback address (/dev/mail has no login)', () => {
    const demo = { DEMO_MODE: 'true', SMTP_URL: 'smtp://127.0.0.1:2525' };
    for (const host of [
      '0.0.0.0',
      '::',
      '192.168.1.10',
      '10.0.0.1',
      'panah.example.org',
      '128.0.0.1',
      '127.0.0',
    ])
      expect(problemsOf({ ...demo, API_HOST: host })).toEqual(['API_HOST']);
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST'])
      expect(problemsOf({ ...demo, API_HOST: host })).toEqual([]);
    const devSecretsFile = join(mkdtempSync(join(tmpdir(), 'panah-cfg-')), 's.json');
    expect(() => loadConfig({ ...demo, API_HOST: '0.0.0.0' }, { devSecretsFile })).toThrow(
      /API_HOST.*loopback/,
    );
    // Without the demo, any address is allowed.
    expect(problemsOf({ API_HOST: '0.0.0.0' })).toEqual([]);
  });

  it('rotates at-rest keys: several may be listed, the current one is named', () => {
    const config = loadConfig({ ...prod, DATA_KEYS: `old:${key('c')},new:${key('d')}`, DATA_KEY_ID: 'new' });
    expect(config.dataKeys.current).toBe('new');
    expect([...config.dataKeys.keys.keys()]).toEqual(['old', 'new']);
    expect(problemsOf({ ...prod, DATA_KEYS: `a:${key('c')},a:${key('d')}`, DATA_KEY_ID: 'a' })).toContain(
      'DATA_KEYS',
    );
  });

  it('never puts a secret value into an error message', () => {
    const secret = 'S'.repeat(42);
    try {
      loadConfig({ ...prod, TOKEN_KEY: secret });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect((error as Error).message).not.toContain(secret);
    }
  });
});
