import { randomBytes, randomUUID } from 'node:crypto';
import { cryptoReady, deriveReporterKeys, fromB64u, toB64u } from '@panah/crypto';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPhone, recordRequests, screenshot, storageLeftBy } from '../support/browser';
import { sealAs, send } from '../support/casework';
import { rowsOf } from '../support/database';
import {
  caseOfReport,
  clickTo,
  DEPLOYMENT,
  startReporterStack,
  testIdsOn,
  waitForReason,
  type ReporterStack,
} from '../support/reporter-web';
import { waitFor } from '../support/wait';

/**
 * The reporter web client as a reporter uses it, in real Chromium at phone size against the real
 * API, worker, PostgreSQL, Redis and SMTP (issue 17 acceptance), in English and in Dari
 * (right-to-left), with a screenshot of every screen kept under .panah/screenshots/reporter-<lang>/.
 */

const WORDS = {
  en: {
    sent: 'Report sent',
    org: 'From the organisation (verified)',
    unverified: 'Unverified message',
    notRecognised: 'This code was not recognised',
  },
  prs: {
    sent: 'گزارش فرستاده شد',
    org: 'از طرف سازمان (تأییدشده)',
    unverified: 'پیام تأییدنشده',
    notRecognised: 'این کد شناخته نشد',
  },
} as const;

describe('reporter web client', () => {
  let stack: ReporterStack;
  let browser: Browser;

  beforeAll(async () => {
    await cryptoReady();
    stack = await startReporterStack();
    browser = await launchBrowser();
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function registerInUi(
    page: Page,
    suite: string,
    lang: 'en' | 'prs',
  ): Promise<{ code: string; duress: string }> {
    await page.goto(`${stack.api.url}/`);
    await page.locator('[data-screen="language"]').waitFor();
    await screenshot(page, suite, '01-language');
    await clickTo(page, `lang-${lang}`, 'welcome');
    await page
      .getByTestId('fingerprint')
      .filter({ hasText: toB64u(stack.keys.root.publicKey).slice(0, 4) })
      .waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe(lang === 'en' ? 'ltr' : 'rtl');
    await screenshot(page, suite, '02-welcome');
    await clickTo(page, 'new-code', 'new-code');
    const code = (await page.getByTestId('access-code').locator('.code-groups').first().innerText())
      .replace(/\s+/g, ' ')
      .trim();
    expect(code).toMatch(/^\d{4}( \d{4}){4}$/);
    await page.getByTestId('want-duress').check();
    const duress = (await page.getByTestId('duress-code').locator('.code-groups').first().innerText())
      .replace(/\s+/g, ' ')
      .trim();
    expect(duress).not.toBe(code);
    await page.getByTestId('written').check();
    await screenshot(page, suite, '03-access-code');
    await page.getByTestId('register').click();
    await page.getByTestId('progress').waitFor();
    await screenshot(page, suite, '04-preparing-keys');
    await page.locator('[data-screen="home"]').waitFor({ timeout: 300_000 });
    return { code, duress };
  }

  async function signInUi(page: Page, code: string): Promise<void> {
    await clickTo(page, 'have-code', 'sign-in');
    await page.getByTestId('code-input').fill(code);
    await page.getByTestId('sign-in').click();
  }

  async function flow(lang: 'en' | 'prs'): Promise<void> {
    const suite = `reporter-${lang}`;
    const words = WORDS[lang];
    const { context, page } = await newPhone(browser, { locale: lang === 'en' ? 'en-GB' : 'fa-AF' });
    const requests = recordRequests(context);
    const secret = {
      what: `they came to my door ${randomUUID()}`,
      who: `the man called Kazem ${randomUUID()}`,
      reply: `thank you, I am hiding ${randomUUID()}`,
    };
    const fileMarker = `ATTACHMENT-PLAINTEXT-${randomUUID()}`;
    const file = Buffer.concat([Buffer.from(fileMarker), randomBytes(150_000), Buffer.from(fileMarker)]);

    const { code, duress } = await registerInUi(page, suite, lang);
    await screenshot(page, suite, '05-home');

    // File a report with an attachment and triage hints.
    const mailsBefore = stack.smtp.messages.length;
    await clickTo(page, 'new-report', 'report');
    await page.getByTestId('what').fill(secret.what);
    await page.getByTestId('who').fill(secret.who);
    await page.getByTestId('where').fill('Berlin, near the station');
    await page.getByTestId('hint-category').selectOption('kill_list');
    await page.getByTestId('hint-imminence').selectOption('days');
    await page
      .getByTestId('attach')
      .setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: file });
    await page.getByTestId('files').waitFor();
    await screenshot(page, suite, '06-report-form');
    await page.getByTestId('send').click();
    await page.getByTestId('report-sent').filter({ hasText: '' }).waitFor({ timeout: 180_000 });
    expect(await page.locator('h1').innerText()).toBe(words.sent);
    await screenshot(page, suite, '07-report-sent');
    const ref = await page.getByTestId('report-ref').innerText();
    const [report] = await rowsOf<{ id: string; reporter_id: string }>(
      stack.db.url,
      `SELECT id, reporter_id FROM reports WHERE id::text LIKE $1`,
      [`${ref}%`],
    );
    const attachments = await rowsOf<{ size: string }>(
      stack.db.url,
      `SELECT size FROM report_attachments WHERE report_id = $1`,
      [report.id],
    );
    expect(attachments).toHaveLength(1);
    const kase = await caseOfReport(stack.db, report.id);
    await waitFor(() => stack.smtp.messages.slice(mailsBefore).find((m) => m.to.includes(stack.inbox)), {
      what: "the caseworker's email",
      timeoutMs: 120_000,
    });

    // The caseworker replies through the API (verified), and an impostor writes too (unverified).
    const recipients = await send(stack.api, stack.caseworker.headers, 'GET', `/cases/${kase.id}/recipients`);
    const pks = (recipients.body.message as { pk: string }[]).map((k) => fromB64u(k.pk));
    const replyText =
      lang === 'en'
        ? 'We received your report. Stay where you are; we will call.'
        : 'گزارش شما رسید. همان‌جا بمانید؛ با شما تماس می‌گیریم.';
    const real = sealAs(
      stack.caseworker,
      'message',
      pks,
      JSON.stringify({ schema: 'panah/message/v1', text: replyText }),
    );
    expect(
      (
        await send(stack.api, stack.caseworker.headers, 'PUT', `/cases/${kase.id}/messages/${real.id}`, {
          envelope: real,
        })
      ).status,
    ).toBe(201);
    const fakePks = (
      (await send(stack.api, stack.impostor.headers, 'GET', `/cases/${kase.id}/recipients`)).body.message as {
        pk: string;
      }[]
    ).map((k) => fromB64u(k.pk));
    const fake = sealAs(
      stack.impostor,
      'message',
      fakePks,
      JSON.stringify({ schema: 'panah/message/v1', text: 'Come to the embassy alone tonight.' }),
    );
    expect(
      (
        await send(stack.api, stack.impostor.headers, 'PUT', `/cases/${kase.id}/messages/${fake.id}`, {
          envelope: fake,
        })
      ).status,
    ).toBe(201);

    await clickTo(page, 'home', 'home');
    await page.getByTestId('reply-count').waitFor();
    await screenshot(page, suite, '08-home-with-reply');
    await clickTo(page, 'report-row', 'thread');
    await page.locator('[data-author="organisation"]').filter({ hasText: replyText }).waitFor();
    expect(await page.locator('[data-author="organisation"] .who').first().innerText()).toContain(words.org);
    expect(await page.locator('[data-author="unverified"] .who').first().innerText()).toContain(
      words.unverified,
    );
    await page.getByTestId('reply').fill(secret.reply);
    await page.getByTestId('send-reply').click();
    await page.getByTestId('reply-sent').waitFor({ timeout: 120_000 });
    await page.locator('[data-author="me"]').first().waitFor();
    await screenshot(page, suite, '09-thread');
    expect(
      await rowsOf(
        stack.db.url,
        `SELECT id FROM reporter_messages WHERE report_id = $1 AND author_type = 'reporter'`,
        [report.id],
      ),
    ).toHaveLength(1);

    // Safety: a check-in plan that is missed, then "I am safe", a pause, and a held panic.
    await clickTo(page, 'home', 'home');
    await clickTo(page, 'safety', 'safety');
    await page.getByTestId('plan-hours').fill(lang === 'en' ? '0.0003' : '۰.۰۰۰۳');
    await page.getByTestId('plan-grace').fill('0.02');
    await page.getByTestId('save-plan').click();
    await page.getByTestId('plan-saved').waitFor();
    await waitForReason(stack.db, kase.reporterId, 'missed_checkin');
    await page.getByTestId('i-am-safe').click();
    await page.getByTestId('checked-in').waitFor();
    await page.getByTestId('pause-hours').fill('2');
    await page.getByTestId('pause').click();
    await page.getByTestId('paused').waitFor();
    await screenshot(page, suite, '10-safety');
    const panic = page.getByTestId('panic');
    await panic.scrollIntoViewIfNeeded();
    const box = (await panic.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page
      .getByText(lang === 'en' ? 'Keep holding' : 'نگه دارید')
      .first()
      .waitFor();
    await screenshot(page, suite, '11-panic-holding');
    await page.getByTestId('panic-sent').waitFor({ timeout: 120_000 });
    await page.mouse.up();
    await waitForReason(stack.db, kase.reporterId, 'panic');
    await screenshot(page, suite, '12-panic-sent');

    // Sign out; a wrong code is refused in the reporter's words; the duress code looks the same.
    await clickTo(page, 'home', 'home');
    const normalHome = await testIdsOn(page);
    await clickTo(page, 'sign-out', 'welcome');
    await signInUi(page, '1234 5678 9012 3456 7890');
    await page.getByTestId('error').filter({ hasText: words.notRecognised }).waitFor({ timeout: 180_000 });
    expect(await page.getByTestId('error').innerText()).not.toMatch(/\d{3}|\/|_/);
    await screenshot(page, suite, '13-sign-in-refused');
    await page
      .getByTestId('code-input')
      .fill(
        lang === 'en'
          ? duress.replace(/ /g, '-')
          : duress.replace(/\d/g, (d) => String.fromCharCode(0x6f0 + Number(d))),
      );
    await page.getByTestId('sign-in').click();
    await page.locator('[data-screen="home"]').waitFor({ timeout: 180_000 });
    await screenshot(page, suite, '14-duress-home');
    expect(
      (await testIdsOn(page)).filter(
        (id) => !['report-row', 'report-status', 'reply-count', 'reports'].includes(id),
      ),
    ).toEqual(
      normalHome.filter((id) => !['report-row', 'report-status', 'reply-count', 'reports'].includes(id)),
    );
    await waitForReason(stack.db, kase.reporterId, 'duress');

    // Nothing sensitive ever left the browser, and every request went to the Panah origin.
    const me = deriveReporterKeys(code, DEPLOYMENT);
    const dur = deriveReporterKeys(duress, DEPLOYMENT);
    const forbidden = [
      code.replace(/ /g, ''),
      code,
      duress.replace(/ /g, ''),
      secret.what,
      secret.who,
      secret.reply,
      fileMarker,
      ...[me, dur].flatMap((k) => [
        toB64u(k.signKeyPair.privateKey),
        toB64u(k.signKeyPair.privateKey.subarray(0, 32)),
        toB64u(k.boxKeyPair.privateKey),
        Buffer.from(k.boxKeyPair.privateKey).toString('hex'),
      ]),
    ];
    expect(requests.length).toBeGreaterThan(20);
    for (const r of requests) {
      expect(r.url.startsWith(`${stack.api.url}/`)).toBe(true);
      expect(r.headers.cookie).toBeUndefined();
      const all = `${r.url}\n${JSON.stringify(r.headers)}\n${r.body ? r.body.toString('latin1') : ''}\n${r.body ? r.body.toString('utf8') : ''}`;
      for (const f of forbidden)
        expect(all.includes(f) ? `${r.method} ${r.url} carries a secret` : 'clean').toBe('clean');
    }

    // Quick exit: the page goes to a neutral site and leaves nothing in storage.
    await context.route('https://www.wikipedia.org/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Wikipedia</title>' }),
    );
    await page.getByTestId('quick-exit').click();
    await page.waitForURL('https://www.wikipedia.org/**');
    await page.goto(`${stack.api.url}/`);
    expect(await storageLeftBy(context, page)).toEqual({
      cookies: 0,
      local: 0,
      session: 0,
      idb: 0,
      caches: 0,
    });
    await context.close();
  }

  it('works end to end in English at phone size', () => flow('en'), 900_000);
  it('works end to end in Dari, right to left', () => flow('prs'), 900_000);
});
