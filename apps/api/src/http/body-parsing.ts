import type { INestApplication } from '@nestjs/common';
import express, { NextFunction, Request, RequestHandler, Response } from 'express';
import { ErrorCode } from '@panah/domain';
import { errorBody } from './error-filter';

/**
 * JSON bodies with a size limit, where a body that is too large or malformed gets a JSON 413 or
 * 400 instead of Express's HTML page. Attachment uploads (octet-stream) are streamed by their
 * own handler and never buffered here.
 */
export function installBodyParsing(app: INestApplication, limitBytes: number): void {
  const json = express.json({ limit: limitBytes, strict: true });
  const guarded: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    json(req, res, (err?: unknown) => {
      if (!err) return next();
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
