import { randomBytes } from 'node:crypto';
import { loadConfig, type PanahConfig } from '@panah/config';

/** A complete test config: its own database, its own Redis key prefix, fresh secrets. */
export function testConfig(databaseUrl: string, env: Record<string, string> = {}): PanahConfig {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: databaseUrl,
    REDIS_URL: 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `panah-t-${process.pid}-${randomBytes(4).toString('hex')}`,
    DEPLOYMENT_ID: 'test-deployment',
    DATA_KEYS: `t1:${randomBytes(32).toString('base64url')}`,
    DATA_KEY_ID: 't1',
    TOKEN_KEY: randomBytes(32).toString('base64url'),
    OUTBOX_POLL_MS: '200',
    API_PORT: '0',
    WORKER_PORT: '0',
    LOGIN_POW_BITS: '8', // a sign-in's proof of work, when asked for, costs the tests little
    ...env,
  });
}
