import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { type PanahConfig } from '@panah/config';
import { WorkerModule, WorkerModuleOptions } from './worker.module';

/** Builds the worker (processors start at init); HTTP serves only health and metrics. */
export async function createWorkerApp(
  config: PanahConfig,
  options: WorkerModuleOptions = {},
): Promise<INestApplication> {
  const app = await NestFactory.create(WorkerModule.forRoot(config, options), {
    bodyParser: false,
    abortOnError: false, // throw instead of process.exit, so callers and tests see the error
    bufferLogs: true,
    forceCloseConnections: true,
  });
  app.useLogger(app.get(Logger));
  return app;
}
