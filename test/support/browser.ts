/**
 * Real headless Chromium for the web-client tests (DESIGN "The clients"): Debian's
 * /usr/bin/chromium driven by playwright-core (no browser is ever downloaded), a phone viewport,
 * screenshots kept under .panah/screenshots/<suite>/, and a recorder of every request a page
 * makes (URL, method, headers, body) so tests can check what leaves the browser.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a closed network and a loaded machine. Playwright adds --headless and a fresh --user-data-dir per launch. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export const PHONE_VIEWPORT = { width: 360, height: 740 } as const;
export const SCREENSHOT_ROOT = resolve(process.cwd(), '.panah', 'screenshots');

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium; .ci/run installs it)`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
    timeout: 120_000,
  });
}

export interface PhoneOptions {
  readonly locale?: string;
  readonly timezoneId?: string;
}

/** A fresh context (its own storage) with a 360×740 touch phone viewport, and its first page. */
export async function newPhone(
  browser: Browser,
  options: PhoneOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: PHONE_VIEWPORT,
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    locale: options.locale ?? 'en-GB',
    timezoneId: options.timezoneId ?? 'Europe/Berlin',
    serviceWorkers: 'block',
  });
  context.setDefaultTimeout(60_000);
  context.setDefaultNavigationTimeout(60_000);
  return { context, page: await context.newPage() };
}

/** Full-page PNG at .panah/screenshots/<suite>/<name>.png (kept as a test artefact). */
export async function screenshot(page: Page, suite: string, name: string): Promise<string> {
  const dir = join(SCREENSHOT_ROOT, suite);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name.replace(/[^A-Za-z0-9_.-]+/g, '-')}.png`);
  // A sticky header would be drawn where the page happens to be scrolled: capture from the top.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  return path;
}

export interface RecordedRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer | null;
  readonly resourceType: string;
}

/** Records every request any page of the context makes (including workers' fetches). */
export function recordRequests(context: BrowserContext): RecordedRequest[] {
  const seen: RecordedRequest[] = [];
  const onRequest = (req: Request): void => {
    seen.push({
      url: req.url(),
      method: req.method(),
      headers: req.headers(),
      body: req.postDataBuffer(),
      resourceType: req.resourceType(),
    });
  };
  context.on('request', onRequest);
  return seen;
}

/** Console errors and uncaught page errors (CSP violations land here), for a test to assert none. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  return errors;
}

/** What the page left in the browser's storage for its origin (cookies, localStorage, sessionStorage, IndexedDB, caches). */
export async function storageLeftBy(
  context: BrowserContext,
  page: Page,
): Promise<{ cookies: number; local: number; session: number; idb: number; caches: number }> {
  const cookies = (await context.cookies()).length;
  const inPage = await page.evaluate(async () => ({
    local: localStorage.length,
    session: sessionStorage.length,
    idb: typeof indexedDB.databases === 'function' ? (await indexedDB.databases()).length : 0,
    caches: typeof caches === 'undefined' ? 0 : (await caches.keys()).length,
  }));
  return { cookies, ...inPage };
}
