import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { type PanahConfig } from '@panah/config';
import { createApiApp } from '../../apps/api/src/app.factory';
import { createWorkerApp } from '../../apps/worker/src/worker.factory';
import { LogCapture } from './logs';

export interface RunningApp {
  readonly app: INestApplication;
  readonly url: string;
  readonly logs: LogCapture;
  close(): Promise<void>;
}

async function listen(app: INestApplication, logs: LogCapture): Promise<RunningApp> {
  try {
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close().catch(() => undefined); // a failed boot must not leave connections behind
    throw error;
  }
  const { port } = app.getHttpServer().address() as AddressInfo;
  let closed = false;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    logs,
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
    },
  };
}

/** The API in-process on a free port, its logs captured. */
export async function startApi(config: PanahConfig): Promise<RunningApp> {
  const logs = new LogCapture();
  return listen(await createApiApp(config, { logStream: logs }), logs);
}

/** The worker in-process (processors, outbox relay, health on a free port), its logs captured. */
export async function startWorker(config: PanahConfig): Promise<RunningApp> {
  const logs = new LogCapture();
  return listen(await createWorkerApp(config, { logStream: logs }), logs);
}
