import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/**
 * Serves the two built web clients (DESIGN "The clients"): the reporter at `/`, the staff console
 * at `/console/`, and the console's page also at `/ack` and `/case` (notification links are
 * `<PUBLIC_URL>/ack#pk_…` and `<PUBLIC_URL>/case#<id>`). The files are read once at boot, so what
 * is served is exactly what `panah client verify` can compare with a signed manifest; a missing
 * build is skipped. Every response here and under /v1 is `no-store`; no cookie is ever set.
 */
export const WEB_CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

interface WebFile {
  readonly body: Buffer;
  /** Compressed once at boot (a cheap phone on a slow network gets ~200 KB, not ~600 KB). */
  readonly gzip: Buffer | null;
  readonly type: string;
}

/** Path (as requested, e.g. `/assets/index-abc.js`) → file, for one built client. */
export function loadWebClient(dir: string, mount: string): Map<string, WebFile> {
  const files = new Map<string, WebFile>();
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    return files; // not built: tolerated (the API still serves /v1)
  }
  if (!isDir) return files;
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && !entry.name.startsWith('.')) {
        const rel = relative(dir, full).split(sep).join('/');
        const body = readFileSync(full);
        const type = TYPES[extname(entry.name)] ?? 'application/octet-stream';
        const gzip =
          /^(text\/|application\/(json|manifest|wasm)|image\/svg)/.test(type) && body.length > 512
            ? gzipSync(body, { level: 9 })
            : null;
        files.set(mount + rel, { body, gzip, type });
      }
    }
  };
  walk(dir);
  return files;
}

const API_PREFIXES = ['/v1/', '/health/', '/metrics', '/docs'];

export function installWebClients(app: INestApplication, webDir: string): void {
  const root = resolve(process.cwd(), webDir);
  const files = new Map<string, WebFile>([
    ...loadWebClient(join(root, 'reporter'), '/'),
    ...loadWebClient(join(root, 'console'), '/console/'),
  ]);
  const consoleIndex = files.get('/console/index.html');
  const reporterIndex = files.get('/index.html');
  const pages = new Map<string, WebFile | undefined>([
    ['/', reporterIndex],
    ['/console/', consoleIndex],
    ['/ack', consoleIndex],
    ['/case', consoleIndex],
  ]);

  app.use((req: Request, res: Response, next: NextFunction) => {
    const path = req.path;
    if (path === '/v1' || path.startsWith('/v1/')) {
      res.setHeader('Cache-Control', 'no-store');
      return next();
    }
    if ((req.method !== 'GET' && req.method !== 'HEAD') || API_PREFIXES.some((p) => path.startsWith(p)))
      return next();
    if (path === '/console' && consoleIndex) return res.redirect(301, '/console/');
    const file = pages.get(path) ?? files.get(path);
    if (!file) return next();
    const gzip = file.gzip !== null && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? (file.gzip as Buffer) : file.body;
    res.setHeader('Content-Type', file.type);
    res.setHeader('Content-Length', String(body.length));
    res.setHeader('Vary', 'Accept-Encoding');
    if (gzip) res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Security-Policy', WEB_CSP);
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Permissions-Policy', 'camera=(), geolocation=(), microphone=(self), interest-cohort=()');
    res.status(200);
    if (req.method === 'HEAD') return res.end();
    return res.end(body);
  });
}
