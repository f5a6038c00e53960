import { randomBytes } from 'node:crypto';
import { type PanahConfig } from '@panah/config';
import { testConfig } from '../support/config';

/**
 * One environment shared by the in-process API and the in-process `panah` CLI, so both derive
 * token digests and TOTP encryption from the same TOKEN_KEY and DATA_KEYS.
 */
export function sharedEnv(databaseUrl: string): { env: Record<string, string>; config: PanahConfig } {
  const env = {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_PREFIX: `panah-t-${process.pid}-${randomBytes(4).toString('hex')}`,
    DEPLOYMENT_ID: 'test-deployment',
    DATA_KEYS: `t1:${randomBytes(32).toString('base64url')}`,
    DATA_KEY_ID: 't1',
    TOKEN_KEY: randomBytes(32).toString('base64url'),
    PUBLIC_URL: 'http://127.0.0.1:3999',
  };
  return { env, config: testConfig(databaseUrl, env) };
}
