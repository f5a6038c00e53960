import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { INestApplication } from '@nestjs/common';

/**
 * SIGTERM/SIGINT: stop accepting connections and let in-flight requests finish (each response
 * during the drain says `Connection: close`, idle keep-alive connections are closed), then close
 * the application — the worker's processors stop taking jobs and wait for their active ones
 * before the database and Redis connections close (PanahWorkerHost) — and exit 0; or exit 1 if
 * all that takes longer than `timeoutMs`.
 */
export function exitGracefullyOnSignals(
  app: INestApplication,
  timeoutMs: number,
  onLog: (msg: string) => void,
): void {
  const server = app.getHttpServer() as Server;
  const drain = trackConnections(server);
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
    drain()
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

/** A connection that has carried no request for this long during a drain is closed. */
const IDLE_GRACE_MS = 500;

/**
 * Follows every connection (is a request in progress, since when is it idle) and returns the
 * drain: stop accepting, answer what is in flight with `Connection: close`, close connections once
 * idle for IDLE_GRACE_MS (a client that connected just before the close still gets to send its
 * request), resolve when none is left. Node's closeIdleConnections would also cut a connection
 * whose request has not arrived yet, which the client sees as a reset.
 */
function trackConnections(server: Server): () => Promise<void> {
  const sockets = new Map<Socket, { busy: number; since: number }>();
  let draining = false;
  server.prependListener('connection', (socket: Socket) => {
    sockets.set(socket, { busy: 0, since: Date.now() });
    socket.once('close', () => sockets.delete(socket));
  });
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const state = sockets.get(req.socket);
    if (state) state.busy += 1;
    if (draining) res.setHeader('Connection', 'close');
    res.once('close', () => {
      if (!state) return;
      state.busy -= 1;
      state.since = Date.now();
    });
  });
  return async () => {
    draining = true;
    if (server.listening) server.close();
    while (sockets.size > 0) {
      const now = Date.now();
      for (const [socket, state] of sockets)
        if (state.busy === 0 && now - state.since >= IDLE_GRACE_MS) socket.destroy();
      await new Promise((r) => setTimeout(r, 25));
    }
  };
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
      onLog(
        `unhandled rejection (${name}${typeof code === 'string' ? ` ${code}` : ''}), ${count} so far; continuing`,
      );
    }
  });
}
