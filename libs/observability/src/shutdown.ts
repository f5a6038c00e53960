import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';

/**
 * SIGTERM/SIGINT: stop accepting connections and let in-flight requests finish (each response
 * during the drain says `Connection: close`, idle keep-alive connections are closed), then close
 * the application — the worker's processors stop taking jobs and wait for their active ones
 * before the database and Redis connections close (PanahWorkerHost) — and exit 0; or exit 1 if
 * all that takes longer than `timeoutMs`.
 */
export function exitGracefullyOnSignals(app: INestApplication, timeoutMs: number, onLog: (msg: string) => void): void {
  const server = app.getHttpServer() as Server;
  let closing = false;
  let inFlight = 0;
  server.prependListener('request', (_req, res) => {
    inFlight += 1;
    if (closing) res.setHeader('Connection', 'close');
    res.once('close', () => {
      inFlight -= 1;
    });
  });
  const stop = (signal: NodeJS.Signals): void => {
    if (closing) return;
    closing = true;
    onLog(`received ${signal}, shutting down`);
    const timer = setTimeout(() => {
      onLog(`shutdown took longer than ${timeoutMs} ms, exiting`);
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    drainHttp(server, () => inFlight)
      .then(() => app.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          onLog(`shutdown failed: ${error instanceof Error ? error.name : 'unknown error'}`);
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** Stops accepting connections and resolves once no request is in flight. */
async function drainHttp(server: Server, inFlight: () => number): Promise<void> {
  if (server.listening) server.close();
  while (inFlight() > 0) {
    server.closeIdleConnections();
    await new Promise((r) => setTimeout(r, 25));
  }
  server.closeIdleConnections();
}

/**
 * A promise nobody handled must not end the process (Node's default): during a database or Redis
 * outage one stray rejection would turn a delay into a dead worker. It is logged by name only
 * (messages of unexpected errors are not trusted to be free of content) and the process goes on;
 * readiness reports the dependency, and the sweepers redo whatever the rejected work was.
 */
export function surviveUnhandledRejections(onLog: (msg: string) => void): void {
  let count = 0;
  process.on('unhandledRejection', (reason) => {
    count += 1;
    if (count === 1 || count % 100 === 0) {
      const name = reason instanceof Error ? reason.name : typeof reason;
      const code = (reason as { code?: unknown } | null)?.code;
      onLog(`unhandled rejection (${name}${typeof code === 'string' ? ` ${code}` : ''}), ${count} so far; continuing`);
    }
  });
}
