import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { PanahConfig } from '@panah/config';
import { errorBody } from './error-filter';

type Timeouts = PanahConfig['api']['timeouts'];

/**
 * Slow clients (issue 18 point 6): a client that sends a byte a second must not hold a socket.
 * Node cuts a request whose head takes longer than `headersMs` and one whose whole request takes
 * longer than `requestMs` (an attachment upload is the longest), answering 408 and closing. It
 * checks open connections every `connectionsCheckingInterval`, which must be set before `listen`
 * (30 s by default, far coarser than the timeouts). `idleMs` closes a socket with no traffic
 * either way (Node destroys it), `keepAliveMs` an idle keep-alive connection between requests.
 * A JSON body must arrive whole within `bodyMs` of its head (the middleware below).
 */
export function installSlowClientLimits(app: INestApplication, t: Timeouts): void {
  const server = app.getHttpServer() as Server;
  server.headersTimeout = t.headersMs;
  server.requestTimeout = Math.max(t.requestMs, t.headersMs);
  server.timeout = t.idleMs;
  server.keepAliveTimeout = t.keepAliveMs;
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.max(
    100,
    Math.min(1_000, Math.floor(Math.min(t.headersMs, t.requestMs) / 4)),
  );
  app.use(bodyDeadline(t));
}

/** `PUT /v1/reports/:id/attachments/:attachmentId` with an octet-stream body (ReportsController). */
const ATTACHMENT_UPLOAD_PATH = /^\/v1\/reports\/[^/]+\/attachments\/[^/]+\/?$/;
function isAttachmentUpload(req: Request, type: string): boolean {
  return (
    req.method === 'PUT' &&
    type === 'application/octet-stream' &&
    ATTACHMENT_UPLOAD_PATH.test((req.originalUrl ?? req.url).split('?')[0])
  );
}

/** Answers 408 and closes the connection when a JSON body is not complete `bodyMs` after its head. */
function bodyDeadline(t: Timeouts) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const hasBody =
      req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    // The attachment upload streams up to ATTACHMENT_MAX_BYTES: bounded by requestMs (Node's own check).
    // Only that route: an octet-stream body sent to any other route keeps the body deadline.
    if (!hasBody || req.complete || isAttachmentUpload(req, type)) return next();
    const timer = setTimeout(() => {
      if (req.complete) return;
      if (!res.headersSent) {
        res.writeHead(408, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
        res.end(
          JSON.stringify(
            errorBody(408, 'request/timeout', `The request body did not arrive within ${t.bodyMs} ms`, [
              { path: 'body', message: `must arrive within ${t.bodyMs} ms (HTTP_BODY_TIMEOUT_MS)` },
            ]),
          ),
          () => req.socket.destroy(),
        );
      }
      // Whether or not the answer could be written, the socket goes (a stalled reader cannot keep it).
      setTimeout(() => req.socket.destroy(), 1_000).unref();
    }, t.bodyMs);
    timer.unref();
    // Not cleared by the answer: a body nobody reads (an early 4xx, an octet-stream body on a JSON
    // route) still holds the socket while it drips in, so the deadline runs until the body ends.
    const clear = () => clearTimeout(timer);
    req.once('end', clear);
    req.once('close', clear);
    next();
  };
}
