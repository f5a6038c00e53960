import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { RunningApp, startApi } from '../support/apps';
import { collectPageErrors, launchBrowser, newPhone, screenshot } from '../support/browser';
import { testConfig } from '../support/config';
import { createTestDatabase, TestDatabase } from '../support/database';
import { intakeKeys } from '../support/intake';
import { buildWebClients } from '../support/web';
import { toB64u } from '@panah/crypto';

/** Every file under dir, relative path → sha256, for comparing two builds. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[relative(dir, full)] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

describe('the API serves the built web clients (DESIGN "The clients")', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let webDir: string;
  let browser: Browser | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    const keys = await intakeKeys(1);
    const built = await buildWebClients(toB64u(keys.root.publicKey), ['reporter']);
    // A stand-in console build, so the console routes are tested whether or not apps/console exists yet.
    webDir = resolve(process.cwd(), '.panah', 'web-test', `serving-${process.pid}`);
    mkdirSync(join(webDir, 'console'), { recursive: true });
    cpSync(join(built, 'reporter'), join(webDir, 'reporter'), { recursive: true });
    writeFileSync(join(webDir, 'console', 'index.html'), '<!doctype html><title>console</title>');
    api = await startApi(testConfig(db.url, { ...keys.env, WEB_DIR: webDir }));
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await db?.drop();
  });

  it('serves the reporter at / with a strict CSP, no-store, no cookie, and valid subresource integrity', async () => {
    const res = await fetch(`${api.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('set-cookie')).toBeNull();
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/'unsafe-inline'|'unsafe-eval'|https?:/);
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/); // no inline script
    const refs = [
      ...html.matchAll(/<(?:script|link)\b[^>]*(?:src|href)="([^"]+)"[^>]*integrity="(sha384-[^"]+)"/g),
    ];
    expect(refs.length).toBeGreaterThanOrEqual(2);
    for (const [, ref, integrity] of refs) {
      const asset = await fetch(`${api.url}${ref}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('no-store');
      const digest = createHash('sha384')
        .update(Buffer.from(await asset.arrayBuffer()))
        .digest('base64');
      expect(`sha384-${digest}`).toBe(integrity);
    }
  });

  it('serves the console at /console/, /ack and /case (notification links), and /v1 as no-store', async () => {
    for (const path of ['/console/', '/ack', '/case']) {
      const res = await fetch(`${api.url}${path}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<title>console</title>');
      expect(res.headers.get('content-security-policy')).toContain("'wasm-unsafe-eval'");
    }
    expect((await fetch(`${api.url}/console`, { redirect: 'manual' })).headers.get('location')).toBe(
      '/console/',
    );
    const meta = await fetch(`${api.url}/v1/meta`);
    expect(meta.status).toBe(200);
    expect(meta.headers.get('cache-control')).toBe('no-store');
    expect((await fetch(`${api.url}/nothing-here.js`)).status).toBe(404);
  });

  it('starts without any built client and still serves the API', async () => {
    const empty = await createTestDatabase();
    const bare = await startApi(testConfig(empty.url, { WEB_DIR: join(webDir, 'does-not-exist') }));
    try {
      expect((await fetch(`${bare.url}/`)).status).toBe(404);
      expect((await fetch(`${bare.url}/v1/meta`)).status).toBe(200);
    } finally {
      await bare.close();
      await empty.drop();
    }
  });

  it('builds reproducibly: two builds of the same sources are byte-identical', async () => {
    const key = toB64u((await intakeKeys(1)).root.publicKey);
    const a = await buildWebClients(
      key,
      ['reporter', 'console'],
      resolve(process.cwd(), '.panah', 'web-test', `repro-a-${process.pid}`),
    );
    const b = await buildWebClients(
      key,
      ['reporter', 'console'],
      resolve(process.cwd(), '.panah', 'web-test', `repro-b-${process.pid}`),
    );
    const ta = tree(a);
    expect(Object.keys(ta).length).toBeGreaterThanOrEqual(3);
    expect(tree(b)).toEqual(ta);
  }, 600_000);

  it('loads in Chromium at phone size with no CSP violation or script error', async () => {
    browser = await launchBrowser();
    const { context, page } = await newPhone(browser);
    const errors = collectPageErrors(page);
    await page.goto(`${api.url}/`);
    await page.locator('main').first().waitFor();
    await screenshot(page, 'web-serving', 'reporter-first-screen');
    expect(errors).toEqual([]);
    await context.close();
  });
});
