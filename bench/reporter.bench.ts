import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { cryptoReady, toB64u } from '@panah/crypto';
import type { CDPSession, Page } from 'playwright-core';
import { startApi, startWorker } from '../test/support/apps';
import { launchBrowser } from '../test/support/browser';
import { testConfig } from '../test/support/config';
import { createTestDatabase } from '../test/support/database';
import { intakeKeys, publishDirectory, signedDirectory } from '../test/support/intake';
import { buildWebClients } from '../test/support/web';

/** Chrome DevTools' "Slow 4G" preset, and a 4× slower CPU: a cheap phone on a poor network. */
const SLOW_4G = {
  offline: false,
  latency: 562.5,
  downloadThroughput: (1.6 * 1_000_000 * 0.9) / 8,
  uploadThroughput: (750 * 1_000 * 0.9) / 8,
};
const CPU_SLOWDOWN = 4;

function sizes(dir: string): Record<string, { raw: number; gzip: number }> {
  const out: Record<string, { raw: number; gzip: number }> = {
    js: { raw: 0, gzip: 0 },
    css: { raw: 0, gzip: 0 },
    wasm: { raw: 0, gzip: 0 },
    fonts: { raw: 0, gzip: 0 },
    other: { raw: 0, gzip: 0 },
  };
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else {
        const ext = extname(n);
        const kind =
          ext === '.js'
            ? 'js'
            : ext === '.css'
              ? 'css'
              : ext === '.wasm'
                ? 'wasm'
                : /\.(woff2?|ttf|otf)$/.test(ext)
                  ? 'fonts'
                  : 'other';
        const bytes = readFileSync(p);
        out[kind].raw += bytes.length;
        out[kind].gzip += gzipSync(bytes, { level: 9 }).length;
      }
    }
  };
  walk(dir);
  return out;
}

/**
 * The reporter client on a throttled phone (Chromium at 4× CPU slowdown on Slow 4G, 360×740):
 * transfer size by kind, time to the first usable screen, to "report sent" from a fresh start
 * (code, proof of work, Argon2id INTERACTIVE, registration, sign-in, report), and the proof of
 * work and Argon2id apart. libsodium's wasm is embedded in the worker's JS (counted under js).
 */
export async function run(): Promise<void> {
  await cryptoReady();
  const db = await createTestDatabase();
  const keys = await intakeKeys(2);
  const dir = await buildWebClients(keys.env.DIRECTORY_ROOT_PUBLIC_KEY, ['reporter']);
  const config = testConfig(db.url, {
    ...keys.env,
    REGISTRATION_POW_BITS: '18',
    WEB_DIR: dir,
    LOG_LEVEL: 'warn',
  });
  const api = await startApi(config);
  const worker = await startWorker(config);
  const browser = await launchBrowser();
  try {
    await publishDirectory(api, signedDirectory(keys, config.deploymentId));
    const s = sizes(join(dir, 'reporter'));
    const total = Object.values(s).reduce((n, x) => n + x.gzip, 0);
    for (const [k, v] of Object.entries(s))
      console.log(
        `${k.padEnd(6)} ${(v.gzip / 1024).toFixed(1).padStart(7)} KB gzip (${(v.raw / 1024).toFixed(1)} KB raw)`,
      );
    console.log(`total  ${(total / 1024).toFixed(1).padStart(7)} KB gzip (budget 400 KB)`);

    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
      locale: 'en-GB',
    });
    const page: Page = await context.newPage();
    page.setDefaultTimeout(600_000);
    const cdp: CDPSession = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    let transfer = 0;
    cdp.on(
      'Network.loadingFinished',
      (e: { encodedDataLength: number }) => (transfer += e.encodedDataLength),
    );
    const label = (text: string) => page.getByText(text).first().waitFor();

    const t0 = performance.now();
    await page.goto(`${api.url}/`);
    await page.getByTestId('lang-en').waitFor();
    const firstScreen = performance.now() - t0;
    const staticTransfer = transfer;
    await page.getByTestId('lang-en').click();
    await page.getByTestId('fingerprint').filter({ hasText: 'Organisation key' }).waitFor();
    await page.getByTestId('new-code').click();
    await page.getByTestId('written').check();
    const tPow = performance.now();
    await page.getByTestId('register').click();
    await label('Creating your keys from the code');
    const tKeys = performance.now();
    await label('Registering');
    const tReg = performance.now();
    await page.locator('[data-screen="home"]').waitFor();
    await page.getByTestId('new-report').click();
    await page.getByTestId('what').fill(`bench ${toB64u(new Uint8Array(8))}`);
    await page.getByTestId('send').click();
    await page.getByTestId('report-sent').waitFor();
    const sent = performance.now() - t0;
    console.log(`profile: Chromium CPU ${CPU_SLOWDOWN}× slower, Slow 4G (562 ms RTT, 1.44 Mbit/s down)`);
    console.log(
      `first usable screen   ${(firstScreen / 1000).toFixed(2)} s (budget 3 s), ${(staticTransfer / 1024).toFixed(1)} KB transferred`,
    );
    console.log(
      `proof of work         ${((tKeys - tPow) / 1000).toFixed(2)} s (difficulty 18, includes its challenge round trip)`,
    );
    console.log(`Argon2id INTERACTIVE  ${((tReg - tKeys) / 1000).toFixed(2)} s (64 MiB, 2 passes)`);
    console.log(
      `"report sent"         ${(sent / 1000).toFixed(2)} s from opening the page (includes typing, both above and the round trips)`,
    );
    console.log(`transferred in total  ${(transfer / 1024).toFixed(1)} KB`);
    await context.close();
  } finally {
    await browser.close();
    await worker.close();
    await api.close();
    await db.drop();
  }
}
