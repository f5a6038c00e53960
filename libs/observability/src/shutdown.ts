import type { INestApplication } from '@nestjs/common';

/**
 * SIGTERM/SIGINT: stop taking work, let in-flight requests and jobs finish, close connections,
 * exit 0 — or exit 1 if that takes longer than `timeoutMs`.
 */
export function exitGracefullyOnSignals(app: INestApplication, timeoutMs: number, onLog: (msg: string) => void): void {
  let closing = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (closing) return;
    closing = true;
    onLog(`received ${signal}, shutting down`);
    const timer = setTimeout(() => {
      onLog(`shutdown took longer than ${timeoutMs} ms, exiting`);
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
