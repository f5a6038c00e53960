import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The staff console. Served by the API at /console/ (its index.html also at /ack and /case, the
 * links notifications carry), so every asset URL is absolute under /console/. No inline script
 * or style: the API's CSP forbids them.
 */
export default defineConfig({
  root,
  base: '/console/',
  publicDir: false,
  resolve: {
    alias: [
      { find: /^@panah\/crypto$/, replacement: `${repo}libs/crypto/src/index.ts` },
      { find: /^@panah\/api-client$/, replacement: `${repo}libs/api-client/src/index.ts` },
    ],
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  worker: { format: 'es' },
  build: {
    outDir: `${repo}dist/web/console`,
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 4096,
  },
});
