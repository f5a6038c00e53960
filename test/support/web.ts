/**
 * Builds the web clients for a test, with that test's organisation root key pinned in (the key
 * is compiled into the client, so each test key needs its own build) into .panah/web-test/<key
 * hash>/<app>, built once per key and process. Serve it with the config `WEB_DIR: dir`.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const built = new Map<string, Promise<string>>();

export function buildWebClients(
  rootPublicKeyB64u: string,
  apps: readonly string[] = ['reporter', 'console'],
  outDir?: string,
): Promise<string> {
  const dir =
    outDir ??
    resolve(
      process.cwd(),
      '.panah',
      'web-test',
      createHash('sha256').update(rootPublicKeyB64u).digest('hex').slice(0, 16),
    );
  const key = `${dir}\n${apps.join(',')}`;
  let pending = built.get(key);
  if (pending === undefined || outDir !== undefined) {
    pending = build(rootPublicKeyB64u, apps, dir);
    built.set(key, pending);
  }
  return pending;
}

async function build(rootPublicKeyB64u: string, apps: readonly string[], dir: string): Promise<string> {
  const wanted = apps.filter((app) => existsSync(resolve(process.cwd(), 'apps', app, 'vite.config.mjs')));
  rmSync(dir, { recursive: true, force: true });
  await run(process.execPath, ['scripts/build-web.mjs', ...wanted], {
    cwd: process.cwd(),
    env: { ...process.env, PANAH_WEB_OUT: dir, PANAH_CLIENT_ROOT_PUBLIC_KEY: rootPublicKeyB64u },
    timeout: 300_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return dir;
}
