import { randomBytes } from 'node:crypto';
import { attachmentBlobSize } from '@panah/crypto';
import type { Browser, Route } from 'playwright-core';
import { launchBrowser, newPhone, screenshot } from '../support/browser';
import { rowsOf } from '../support/database';
import { clickTo, startReporterStack, type ReporterStack } from '../support/reporter-web';
import { waitFor } from '../support/wait';

/**
 * Issue 17 acceptance: the connection drops in the middle of sending a report and an attachment.
 * The server receives the first report PUT and the first attachment upload but their answers are
 * lost (the test aborts them after they reached the server), and the phone is offline for a
 * while in between; the draft survives in memory, the client resends with the same ids, and
 * exactly one report with one complete attachment arrives.
 */
describe('reporter web client on a dropping connection', () => {
  let stack: ReporterStack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startReporterStack();
    browser = await launchBrowser();
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('resends with the same ids after lost answers and an offline spell: one report, one complete attachment', async () => {
    const { context, page } = await newPhone(browser);
    await page.goto(`${stack.api.url}/`);
    await clickTo(page, 'lang-en', 'welcome');
    await page.getByTestId('fingerprint').filter({ hasText: 'Organisation key' }).waitFor();
    await clickTo(page, 'new-code', 'new-code');
    await page.getByTestId('written').check();
    await page.getByTestId('register').click();
    await page.locator('[data-screen="home"]').waitFor({ timeout: 300_000 });

    const file = randomBytes(700_000);
    await clickTo(page, 'new-report', 'report');
    await page.getByTestId('what').fill('A car waits outside my building every night.');
    await page
      .getByTestId('attach')
      .setInputFiles({ name: 'voice.ogg', mimeType: 'audio/ogg', buffer: file });

    const seen: string[] = [];
    let lostReport = false;
    let lostUpload = false;
    await context.route(`${stack.api.url}/v1/reports/**`, async (route: Route) => {
      const req = route.request();
      seen.push(`${req.method()} ${new URL(req.url()).pathname}`);
      const isUpload = req.url().includes('/attachments/');
      if (req.method() === 'PUT' && !isUpload && !lostReport) {
        lostReport = true;
        await route.fetch(); // the server stores the report…
        await context.setOffline(true); // …the answer never arrives, and the phone stays offline a while
        return route.abort('internetdisconnected');
      }
      if (req.method() === 'PUT' && isUpload && !lostUpload) {
        lostUpload = true;
        await route.fetch(); // the whole blob reached the server; its answer is lost
        return route.abort('connectionreset');
      }
      return route.continue();
    });

    await page.getByTestId('send').click();
    await page.getByTestId('offline').waitFor({ timeout: 120_000 });
    await screenshot(page, 'reporter-network', 'offline-retrying');
    // The draft is still on screen while offline.
    expect(await page.getByTestId('what').inputValue()).toContain('A car waits');
    await context.setOffline(false);
    await page.getByTestId('report-sent').waitFor({ timeout: 180_000 });
    await screenshot(page, 'reporter-network', 'sent-after-retry');

    const reportPuts = seen.filter((s) => /^PUT \/v1\/reports\/[0-9a-f-]+$/.test(s));
    const uploads = seen.filter((s) => s.startsWith('PUT') && s.includes('/attachments/'));
    expect(lostReport && lostUpload).toBe(true);
    expect(new Set(reportPuts).size).toBe(1); // every resend used the same report id…
    expect(reportPuts.length).toBeGreaterThanOrEqual(2);
    expect(new Set(uploads).size).toBe(1); // …and the same attachment id
    expect(uploads.length).toBeGreaterThanOrEqual(2);

    const reportId = reportPuts[0].split('/').pop() as string;
    const [{ reporter_id: reporterId }] = await rowsOf<{ reporter_id: string }>(
      stack.db.url,
      'SELECT reporter_id FROM reports WHERE id = $1',
      [reportId],
    );
    expect(
      await rowsOf(stack.db.url, 'SELECT id FROM reports WHERE reporter_id = $1', [reporterId]),
    ).toHaveLength(1);
    const attachments = await waitFor(
      async () => {
        const rows = await rowsOf<{ size: string }>(
          stack.db.url,
          'SELECT size FROM report_attachments WHERE report_id = $1',
          [reportId],
        );
        return rows.length > 0 ? rows : null;
      },
      { what: 'the attachment row' },
    );
    expect(attachments).toHaveLength(1);
    expect(Number(attachments[0].size)).toBe(attachmentBlobSize(file.length));
    await context.close();
  }, 900_000);

  it("explains a refused request in the reporter's language, never as a raw code", async () => {
    const { context, page } = await newPhone(browser, { locale: 'fa-AF' });
    await page.goto(`${stack.api.url}/`);
    await clickTo(page, 'lang-ps', 'welcome');
    await page.getByTestId('fingerprint').filter({ hasText: 'کیلي' }).waitFor();
    await clickTo(page, 'have-code', 'sign-in');
    await page.getByTestId('code-input').fill('12345');
    await page.getByTestId('sign-in').click();
    const shortCode = await page.getByTestId('error').innerText();
    expect(shortCode).toContain('۲۰');
    await context.route(`${stack.api.url}/v1/reporters/challenges`, (route) =>
      route.fulfill({
        status: 429,
        contentType: 'application/json',
        body: JSON.stringify({
          statusCode: 429,
          code: 'rate/limited',
          reason: 'rate/limited',
          message: 'Too many attempts',
        }),
      }),
    );
    await page.getByTestId('code-input').fill('۱۲۳۴-۵۶۷۸-۹۰۱۲-۳۴۵۶-۷۸۹۰');
    await page.getByTestId('sign-in').click();
    await page.getByTestId('error').filter({ hasText: 'ډېرې هڅې' }).waitFor({ timeout: 180_000 });
    const text = await page.getByTestId('error').innerText();
    expect(text).not.toMatch(/429|rate|limited|Too many/);
    await screenshot(page, 'reporter-network', 'refused-in-pashto');
    await context.close();
  }, 900_000);
});
