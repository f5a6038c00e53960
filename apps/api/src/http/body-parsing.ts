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
  const json = express.json({ limit: limitBytes, strict: true });
  const guarded: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    json(req, res, (err?: unknown) => {
      if (!err) {
        const at = prototypeKeyPath(req.body);
        if (at === null) return next();
        return res
          .status(400)
          .json(errorBody(400, ErrorCode.ValidationFailed, 'Request body uses a property name the API never accepts', [{ path: at, message: 'is not an accepted property name' }]));
      }
      const e = err as { type?: string; status?: number };
      if (e.type === 'entity.too.large') {
        return res
          .status(413)
          .json(errorBody(413, ErrorCode.PayloadTooLarge, `Request body exceeds ${limitBytes} bytes`));
      }
      if (e.type === 'entity.parse.failed') {
        return res.status(400).json(errorBody(400, ErrorCode.MalformedJson, 'Request body is not valid JSON'));
      }
      if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported') {
        return res.status(415).json(errorBody(415, ErrorCode.UnsupportedMediaType, 'Unsupported body encoding'));
      }
      const status = e.status && e.status >= 400 && e.status < 500 ? e.status : 400;
      return res.status(status).json(errorBody(status, ErrorCode.ValidationFailed, 'Request body could not be read'));
    });
  };
  app.use(guarded);
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
