// The Vite configuration both web clients share (apps/reporter, apps/console). Build time only.
// What it guarantees (DESIGN "The clients"): no inline script (the HTML only references files),
// subresource integrity on every script and stylesheet tag, the plain libsodium build instead of
// the sumo one (size budget; password hashing is hash-wasm, see libs/web/src/argon2.ts), the
// organisation root key pinned into the code, and a reproducible build (no time stamps, no
// absolute paths, content-hashed names), so two builds of one commit are byte-identical.
import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Adds `integrity="sha384-…"` to every <script src> and <link href> of the built HTML. */
export function subresourceIntegrity() {
  return {
    name: 'panah-subresource-integrity',
    enforce: 'post',
    apply: 'build',
    generateBundle(_options, bundle) {
      const bytesOf = (ref, base) => {
        const name = ref.startsWith(base) ? ref.slice(base.length) : ref.replace(/^\//, '');
        const item = bundle[name];
        if (!item) throw new Error(`subresource integrity: ${ref} is not in the bundle`);
        return item.type === 'chunk' ? item.code : item.source;
      };
      for (const item of Object.values(bundle)) {
        if (item.type !== 'asset' || !item.fileName.endsWith('.html')) continue;
        const base = this.environment?.config?.base ?? '/';
        const html = String(item.source).replace(
          /<(script|link)\b([^>]*?)\s(src|href)="([^"]+)"([^>]*)>/g,
          (tag, el, before, attr, ref, after) => {
            if (/integrity=/.test(tag) || /^(https?:)?\/\//.test(ref)) {
              if (/^(https?:)?\/\//.test(ref)) throw new Error(`no CDN: ${ref}`);
              return tag;
            }
            if (el === 'link' && !/rel="(stylesheet|modulepreload)"/.test(tag)) return tag;
            const digest = createHash('sha384').update(bytesOf(ref, base)).digest('base64');
            return `<${el}${before} ${attr}="${ref}" integrity="sha384-${digest}"${after}>`;
          },
        );
        if (/<script(?![^>]*\ssrc=)[^>]*>/.test(html))
          throw new Error(`${item.fileName}: inline script is not allowed (CSP)`);
        item.source = html;
      }
    },
  };
}

/** The pinned root key (b64u Ed25519 public key) from the build environment; '' if none. */
export function pinnedRootKey() {
  const key = process.env.PANAH_CLIENT_ROOT_PUBLIC_KEY ?? process.env.DIRECTORY_ROOT_PUBLIC_KEY ?? '';
  if (key !== '' && !/^[A-Za-z0-9_-]{43}$/.test(key))
    throw new Error('DIRECTORY_ROOT_PUBLIC_KEY must be a b64u Ed25519 public key (43 characters)');
  return key;
}

/**
 * @param {{ app: 'reporter' | 'console', base: string }} options
 * @returns {import('vite').UserConfig}
 */
export function webConfig({ app, base }) {
  const root = resolve(REPO_ROOT, 'apps', app);
  return {
    root,
    base,
    publicDir: resolve(root, 'public'),
    appType: 'spa',
    logLevel: 'warn',
    clearScreen: false,
    resolve: {
      alias: [
        { find: /^libsodium-wrappers-sumo$/, replacement: 'libsodium-wrappers' },
        { find: /^@panah\/([a-z-]+)$/, replacement: resolve(REPO_ROOT, 'libs') + '/$1/src' },
      ],
    },
    define: { __PANAH_ROOT_PUBLIC_KEY__: JSON.stringify(pinnedRootKey()) },
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    worker: { format: 'es' },
    build: {
      outDir: resolve(REPO_ROOT, 'dist', 'web', app),
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
      minify: true,
      cssCodeSplit: false,
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
      reportCompressedSize: false,
      chunkSizeWarningLimit: 2048,
    },
    // scripts/build-web.mjs adds subresourceIntegrity() and the pinned root key for every app.
    plugins: [],
  };
}
