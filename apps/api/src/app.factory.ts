import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { type PanahConfig } from '@panah/config';
import { ApiModule, ApiModuleOptions } from './app.module';
import { installDevMail } from './dev/dev-mail';
import { installBodyParsing } from './http/body-parsing';
import { ApiErrorFilter } from './http/error-filter';
import { installSlowClientLimits } from './http/slow-clients';
import { createValidationPipe } from './http/validation';
import { buildOpenApiDocument, setApiPrefix } from './openapi';
import { installWebClients } from './web/web-clients';

/**
 * Every `/v1` answer, errors and body-parser refusals included, is `Cache-Control: no-store`:
 * case views, `/v1/staff/me` and sign-in answers must not stay in a browser's or a proxy's cache.
 */
function noStoreUnderV1(req: Request, res: Response, next: NextFunction): void {
  if (req.url === '/v1' || req.url.startsWith('/v1/') || req.url.startsWith('/v1?'))
    res.setHeader('Cache-Control', 'no-store');
  next();
}

/** Builds the API application (not yet listening). Used by main.ts and by the tests. */
export async function createApiApp(
  config: PanahConfig,
  options: ApiModuleOptions = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config, options), {
    bodyParser: false,
    abortOnError: false, // throw instead of process.exit, so callers and tests see the error
    bufferLogs: true,
    forceCloseConnections: true,
  });
  app.useLogger(app.get(Logger));
  installSlowClientLimits(app, config.api.timeouts);
  app.disable('x-powered-by');
  app.set('etag', false); // an ETag lets a cache (or a seized phone's) tell answers apart
  app.use(noStoreUnderV1);
  // Off by default: the client address is the socket's. TRUST_PROXY (a hop count or the proxies'
  // addresses/CIDRs) lets per-source limits see the client behind a reverse proxy (req.ip).
  app.set(
    'trust proxy',
    Array.isArray(config.api.trustProxy) ? [...config.api.trustProxy] : config.api.trustProxy,
  );
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
        },
      },
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    }),
  );
  installWebClients(app, config.webDir);
  installDevMail(app, config); // DEMO_MODE only: the demo's caught mail at /dev/mail
  installBodyParsing(app, config.api.bodyLimitBytes);
  setApiPrefix(app);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiErrorFilter());
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
