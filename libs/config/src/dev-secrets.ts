import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export interface DevSecrets {
  deploymentId: string;
  dataKeyId: string;
  dataKey: string;
  tokenKey: string;
}

export const DEFAULT_DEV_SECRETS_FILE = '.panah/dev-secrets.json';

/**
 * Development only: reads the generated secrets, creating them on first run (mode 0600, in a
 * git-ignored folder). Never used when NODE_ENV=production.
 */
export function loadOrCreateDevSecrets(file = DEFAULT_DEV_SECRETS_FILE): DevSecrets {
  const path = resolve(file);
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as DevSecrets;
  const secrets: DevSecrets = {
    deploymentId: `dev-${randomUUID().slice(0, 8)}`,
    dataKeyId: 'dev1',
    dataKey: randomBytes(32).toString('base64url'),
    tokenKey: randomBytes(32).toString('base64url'),
  };
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(path, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process (API and worker start together) won the race: use its secrets.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return JSON.parse(readFileSync(path, 'utf8')) as DevSecrets;
    throw error;
  }
  chmodSync(path, 0o600);
  return secrets;
}
