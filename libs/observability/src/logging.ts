import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { type PanahConfig } from '@panah/config';

const REQUEST_ID = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * Paths pino must never print. Our serializers already emit no headers or bodies; this list is
 * the second lock on the door (G2: no addresses, agents, tokens, secrets or hints in logs).
 */
export const REDACT_PATHS = [
  'req.headers',
  'req.body',
  'req.remoteAddress',
  'req.remotePort',
  'res.headers',
  'headers',
  'body',
  '*.authorization',
  '*.cookie',
  '*.password',
  '*.passphrase',
  '*.token',
  '*.authKey',
  '*.totp',
  '*.hints',
  '*.secret',
];

/**
 * What an error log line may say about an error: its class, its code (a PostgreSQL SQLSTATE, a
 * Node errno name) and its stack frames, never its message. Messages can carry submitted values
 * (PostgreSQL's "Failing row contains (…)", a parser quoting its input).
 */
export function loggableError(error: unknown): { name: string; code?: string; frames?: string } {
  if (!(error instanceof Error)) return { name: typeof error };
  const e = error as Error & { code?: unknown; driverError?: { code?: unknown } };
  const code = e.driverError?.code ?? e.code;
  const frames = (e.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .map((line) => line.trim())
    .join('\n');
  return {
    name: e.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}),
    ...(frames ? { frames } : {}),
  };
}

/** Strips the query string: it may carry one-time tokens (acknowledgement links, invitations). */
export function loggableUrl(url: string | undefined): string {
  return (url ?? '').split('?')[0];
}

export interface LoggingOptions {
  readonly processName: 'api' | 'worker' | 'cli';
  /** Tests pass a stream to capture every line. */
  readonly stream?: DestinationStream;
}

export function loggerModule(config: PanahConfig, options: LoggingOptions): DynamicModule {
  const pinoOptions = {
    level: config.logLevel,
    base: { process: options.processName },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    genReqId: (req: IncomingMessage, res: ServerResponse): string => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // No IP address, port, user agent or header of any kind is ever serialised.
    serializers: {
      req: (req: { id?: unknown; method?: string; url?: string }) => ({
        id: req.id,
        method: req.method,
        url: loggableUrl(req.url),
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug',
    autoLogging: {
      ignore: (req: IncomingMessage) => /^\/(health|metrics)/.test(req.url ?? ''),
    },
  };
  return LoggerModule.forRoot({
    pinoHttp: options.stream ? [pinoOptions, options.stream] : pinoOptions,
    // The worker serves only /health and /metrics, which are never logged. Its request middleware
    // would still open an AsyncLocalStorage context per probe, and on Node 20 the first one turns
    // on promise hooks for the life of the process: a tenth of the worker's CPU on every job.
    ...(options.processName === 'api' ? {} : { forRoutes: [] }),
  });
}
