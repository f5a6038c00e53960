import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import Redis from 'ioredis';
import type { PanahConfig } from '@panah/config';
import { type CaughtMail, devMailKey } from '@panah/notify';
import { redisOptions } from '@panah/queue';

const escape = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** Escaped text with its http(s) links clickable (the alert's case and acknowledgement links). */
const withLinks = (s: string): string =>
  escape(s).replace(/https?:\/\/[^\s<>"']+/g, (url) => `<a href="${url}">${url}</a>`);

export function devMailPage(mails: readonly CaughtMail[], publicUrl: string): string {
  const items = mails.length
    ? mails
        .map(
          (m) => `<article>
<h2>${escape(m.subject || '(no subject)')}</h2>
<p class="meta">to <b>${escape(m.to.join(', '))}</b> · from ${escape(m.from)} · <time>${escape(m.receivedAt)}</time></p>
<pre>${withLinks(m.text)}</pre>
</article>`,
        )
        .join('\n')
    : "<p>No mail caught yet. File a test report with <code>npx panah demo report</code>; the caseworker's alert appears here within seconds (this page reloads itself).</p>";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Panah demo mail (${mails.length})</title>
<style>body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
article{border:1px solid #ccc;border-radius:6px;padding:0 1rem;margin:1rem 0}.meta{color:#555}
pre{white-space:pre-wrap;word-break:break-word}.banner{background:#fff3cd;padding:.5rem 1rem;border-radius:6px}</style>
</head><body>
<h1>Demo mail catcher</h1>
<p class="banner">Development only: every email this demo deployment sends is caught here and never leaves the machine.
This page exists only with <code>DEMO_MODE=true</code>. Console: <a href="${escape(publicUrl)}/console/">${escape(publicUrl)}/console/</a> · JSON: <a href="/dev/mail.json">/dev/mail.json</a></p>
${items}
</body></html>
`;
}

/**
 * The demo's development-only mail page: `GET /dev/mail` (HTML, newest first) and
 * `GET /dev/mail.json`, reading what the worker's mail catcher kept in Redis. Installed only when
 * DEMO_MODE is on (config refuses it with NODE_ENV=production); otherwise these paths are the
 * API's ordinary 404.
 */
export function installDevMail(app: INestApplication, config: PanahConfig): void {
  if (!config.demo) return;
  const key = devMailKey(config.redis.prefix);
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || (req.path !== '/dev/mail' && req.path !== '/dev/mail.json')) return next();
    const redis = new Redis({ ...redisOptions(config.redis.url, 'probe'), lazyConnect: true });
    redis
      .connect()
      .then(() => redis.lrange(key, 0, -1))
      .then((rows) => {
        const mails = rows.map((r) => JSON.parse(r) as CaughtMail);
        res.setHeader('Cache-Control', 'no-store');
        if (req.path === '/dev/mail.json') return res.status(200).json({ messages: mails });
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
        return res.status(200).send(devMailPage(mails, config.publicUrl));
      })
      .catch(next)
      .finally(() => redis.disconnect());
  });
}
