import { loadConfigOrExit } from '@panah/config';
import { exitGracefullyOnSignals, surviveUnhandledRejections } from '@panah/observability';
import { createWorkerApp } from './worker.factory';

async function main(): Promise<void> {
  const config = loadConfigOrExit('worker');
  surviveUnhandledRejections((msg) => process.stderr.write(`worker: ${msg}\n`));
  const app = await createWorkerApp(config);
  exitGracefullyOnSignals(app, config.shutdownTimeoutMs, (msg) => process.stderr.write(`worker: ${msg}\n`));
  await app.listen(config.worker.port, config.worker.host);
  process.stderr.write(
    `worker: running; health and metrics on http://${config.worker.host}:${config.worker.port}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `worker: failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
