// Builds the web clients (apps/reporter, apps/console: whichever exist) into $PANAH_WEB_OUT
// (default dist/web)/<app>. The organisation root key pinned into the clients
// (__PANAH_ROOT_PUBLIC_KEY__) comes from PANAH_CLIENT_ROOT_PUBLIC_KEY or DIRECTORY_ROOT_PUBLIC_KEY
// at build time. Every app gets subresource integrity on its HTML's script and stylesheet tags.
// Usage: node scripts/build-web.mjs [reporter] [console]
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'vite';
import { pinnedRootKey, subresourceIntegrity } from '../libs/web/build/vite-base.mjs';

const root = resolve(import.meta.dirname, '..');
const wanted = process.argv.slice(2);
const configOf = (app) =>
  ['vite.config.mjs', 'vite.config.mts', 'vite.config.ts']
    .map((f) => resolve(root, 'apps', app, f))
    .find((f) => existsSync(f));
const apps = (wanted.length > 0 ? wanted : ['reporter', 'console']).filter(
  (app) => configOf(app) !== undefined,
);
const outRoot = resolve(root, process.env.PANAH_WEB_OUT ?? 'dist/web');
for (const app of apps) {
  await build({
    configFile: configOf(app),
    logLevel: 'warn',
    define: { __PANAH_ROOT_PUBLIC_KEY__: JSON.stringify(pinnedRootKey()) },
    plugins: [subresourceIntegrity()],
    build: { outDir: resolve(outRoot, app), emptyOutDir: true },
  });
  process.stderr.write(`built ${app} → ${resolve(outRoot, app)}\n`);
}
