import { loadConfigOrExit } from '@panah/config';
import { exitGracefullyOnSignals, surviveUnhandledRejections } from '@panah/observability';
import { createApiApp } from './app.factory';

async function main(): Promise<void> {
  const config = loadConfigOrExit('api');
  surviveUnhandledRejections((msg) => process.stderr.write(`api: ${msg}\n`));
  const app = await createApiApp(config);
  exitGracefullyOnSignals(app, config.shutdownTimeoutMs, (msg) => process.stderr.write(`api: ${msg}\n`));
  await app.listen(config.api.port, config.api.host);
  process.stderr.write(`api: listening on http://${config.api.host}:${config.api.port} (docs at /docs)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`api: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
