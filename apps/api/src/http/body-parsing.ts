import type { INestApplication } from '@nestjs/common';
import express, { NextFunction, Request, RequestHandler, Response } from 'express';
import { ErrorCode } from '@panah/domain';
import { errorBody } from './error-filter';

/**
 * JSON bodies with a size limit, where a body that is too large or malformed gets a JSON 413 or
 * 400 instead of Express's HTML page. Attachment uploads (octet-stream) are streamed by their
 * own handler and never buffered here. A body with a property named like a member of
 * Object.prototype (`constructor`, `toString`, `__proto__`, …) anywhere in it is a 400 naming
 * it: no payload of ours has one, and class-transformer (the validation pipe's `transform`)
 * silently drops such properties from nested objects, so an unknown field would pass strict
 * validation, or throws on `constructor`, which would be a 500.
 */
export function installBodyParsing(app: INestApplication, limitBytes: number): void {
  const json = express.json({ limit: limitBytes, strict: true, verify: refuseDeepNesting });
  const guarded: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    json(req, res, (err?: unknown) => {
      // A slow body already answered 408 (slow-clients.ts): nothing more to say on this socket.
      if (res.headersSent) return;
      if (!err) {
        const at = prototypeKeyPath(req.body);
        if (at === null) return next();
        return res
          .status(400)
          .json(
            errorBody(
              400,
              ErrorCode.ValidationFailed,
              'Request body uses a property name the API never accepts',
              [{ path: at, message: 'is not an accepted property name' }],
            ),
          );
      }
      const e = err as { type?: string; status?: number };
      if (e.type === TOO_DEEP) {
        return res
          .status(400)
          .json(
            errorBody(
              400,
              ErrorCode.ValidationFailed,
              `Request body is nested deeper than ${MAX_JSON_DEPTH} levels`,
              [{ path: '', message: `nests deeper than ${MAX_JSON_DEPTH} levels` }],
              'request/nesting_too_deep',
            ),
          );
      }
      if (e.type === 'entity.too.large') {
        return res
          .status(413)
          .json(errorBody(413, ErrorCode.PayloadTooLarge, `Request body exceeds ${limitBytes} bytes`));
      }
      if (e.type === 'entity.parse.failed') {
        return res
          .status(400)
          .json(errorBody(400, ErrorCode.MalformedJson, 'Request body is not valid JSON'));
      }
      if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported') {
        return res
          .status(415)
          .json(errorBody(415, ErrorCode.UnsupportedMediaType, 'Unsupported body encoding'));
      }
      const status = e.status && e.status >= 400 && e.status < 500 ? e.status : 400;
      return res
        .status(status)
        .json(errorBody(status, ErrorCode.ValidationFailed, 'Request body could not be read'));
    });
  };
  app.use(guarded);
}

/**
 * The deepest nesting of arrays and objects a body may have. The deepest payload of ours (a
 * triage rule set: body → definition → rules → rule → when → list) nests six levels; sixteen
 * leave room for future formats. Deeper bodies made class-transformer overflow the stack (a 500)
 * and held the event loop for a second per megabyte.
 */
export const MAX_JSON_DEPTH = 16;
const TOO_DEEP = 'entity.too.deep';

/**
 * body-parser's `verify` hook: runs on the raw bytes before JSON.parse, so a deep body is
 * refused before anything builds or walks it. Throwing here makes body-parser pass the error on.
 */
function refuseDeepNesting(_req: unknown, _res: unknown, buf: Buffer): void {
  if (jsonDepthExceeds(buf, MAX_JSON_DEPTH)) {
    throw Object.assign(new Error('body nested too deeply'), { type: TOO_DEEP, status: 400 });
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/**
 * Whether the JSON text in `buf` opens more than `max` arrays/objects inside each other, in one
 * pass over the bytes (brackets inside strings do not count). Malformed text is left to
 * JSON.parse, which refuses it: this only answers the depth question.
 */
export function jsonDepthExceeds(buf: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > max) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) depth--;
  }
  return false;
}

const PROTOTYPE_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));

/** The path (`a.b[2].c`) of the first property named like an Object.prototype member, or null. */
export function prototypeKeyPath(body: unknown): string | null {
  const stack: { value: unknown; path: string }[] = [{ value: body, path: '' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: unknown; path: string };
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, path: `${path}[${i}]` }));
      continue;
    }
    for (const key of Object.keys(value)) {
      const at = path ? `${path}.${key}` : key;
      if (PROTOTYPE_KEYS.has(key)) return at;
      stack.push({ value: (value as Record<string, unknown>)[key], path: at });
    }
  }
  return null;
}
