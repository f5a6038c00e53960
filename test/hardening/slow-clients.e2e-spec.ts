import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { cryptoReady } from '@panah/crypto';
import { RunningApp, startApi } from '../support/apps';
import { testConfig } from '../support/config';
import { createTestDatabase, rowsOf, TestDatabase } from '../support/database';
import {
  intakeKeys,
  publishDirectory,
  putReport,
  sealReport,
  signedDirectory,
  signedInReporter,
  type TestReporter,
} from '../support/intake';
import { waitFor } from '../support/wait';

/**
 * Issue 18 point 6, as the attacker did it: 200 connections sending one byte a second for 45 s
 * were never closed. With small timeouts configured, every such socket is closed by the server
 * (slow headers, a slow JSON body, a slow upload, a silent connection), while ordinary requests
 * keep being answered. Deadlines are generous: what is asserted is that the server closes the
 * socket, never how fast.
 */
const TIMEOUTS = { headers: 1_000, body: 1_500, request: 3_000, idle: 2_000, keepAlive: 1_000 };
const CLOSED_WITHIN_MS = 30_000;

interface SlowClient {
  readonly socket: Socket;
  readonly closed: Promise<{ afterMs: number; answer: string }>;
  stop(): void;
}

/** A client that sends `head` whole (if given), then `drip` one byte per second, until closed. */
function slowClient(port: number, head: string, drip: string): SlowClient {
  const started = Date.now();
  const socket = connect(port, '127.0.0.1');
  let answer = '';
  let timer: NodeJS.Timeout | undefined;
  socket.on('error', () => undefined); // a write after the server closed: expected
  socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
  socket.on('connect', () => {
    if (head) socket.write(head);
    let i = 0;
    timer = setInterval(() => {
      if (!socket.destroyed && drip) socket.write(drip[i++ % drip.length]);
    }, 1_000);
  });
  const closed = new Promise<{ afterMs: number; answer: string }>((resolve) =>
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ afterMs: Date.now() - started, answer });
    }),
  );
  return { socket, closed, stop: () => socket.destroy() };
}

/** Resolves when every client's socket is closed, or rejects naming how many are still open. */
async function allClosed(clients: SlowClient[]): Promise<{ afterMs: number; answer: string }[]> {
  let deadline: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.all(clients.map((c) => c.closed)),
      new Promise<never>((_, reject) => {
        deadline = setTimeout(
          () =>
            reject(
              new Error(
                `${clients.filter((c) => !c.socket.destroyed).length} of ${clients.length} sockets still open`,
              ),
            ),
          CLOSED_WITHIN_MS,
        );
      }),
    ]);
  } finally {
    clearTimeout(deadline);
    for (const c of clients) c.stop();
  }
}

describe('hardening: slow clients are cut off', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let port: number;
  let reporter: TestReporter;
  let reportId: string;
  let keysEnv: Record<string, string>;

  beforeAll(async () => {
    await cryptoReady();
    db = await createTestDatabase();
    const keys = await intakeKeys(1);
    keysEnv = keys.env;
    api = await startApi(
      testConfig(db.url, {
        ...keys.env,
        LOG_LEVEL: 'warn',
        HTTP_HEADERS_TIMEOUT_MS: String(TIMEOUTS.headers),
        HTTP_BODY_TIMEOUT_MS: String(TIMEOUTS.body),
        HTTP_REQUEST_TIMEOUT_MS: String(TIMEOUTS.request),
        HTTP_IDLE_TIMEOUT_MS: String(TIMEOUTS.idle),
        HTTP_KEEPALIVE_TIMEOUT_MS: String(TIMEOUTS.keepAlive),
      }),
    );
    port = Number(new URL(api.url).port);
    await publishDirectory(api, signedDirectory(keys, 'test-deployment'));
    reporter = await signedInReporter(api.url);
    const envelope = sealReport(reporter, [keys.staff[0].publicKey], '{"schema":"report/v1"}');
    expect((await putReport(api.url, reporter, envelope)).status).toBe(201);
    reportId = envelope.id;
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  /** While the attack runs, an ordinary request is answered. */
  const stillServes = async (): Promise<void> => {
    const res = await fetch(`${api.url}/health/live`);
    expect(res.status).toBe(200);
    const pow = await fetch(`${api.url}/v1/reporters/pow-challenges`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(pow.status).toBe(201);
  };

  it('closes 100 connections that send their request head one byte a second (slowloris)', async () => {
    const clients = Array.from({ length: 100 }, () =>
      slowClient(port, '', 'GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: ' + 'a'.repeat(200)),
    );
    await stillServes();
    const closed = await allClosed(clients);
    // Cut off by the server, not by the client: no complete request was ever sent.
    expect(closed.every((c) => c.afterMs >= TIMEOUTS.headers / 2)).toBe(true);
    expect(closed.filter((c) => !c.answer.startsWith('HTTP/1.1 408')).map((c) => c.answer)).toEqual([]);
    await stillServes();
  }, 60_000);

  it('closes 50 connections that send a JSON body one byte a second, with a 408 naming the limit', async () => {
    const body = '{"x":"' + 'a'.repeat(500) + '"}';
    const head =
      `POST /v1/reporters/pow-challenges HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${body.length}\r\n\r\n`;
    const clients = Array.from({ length: 50 }, () => slowClient(port, head, body));
    await stillServes();
    const closed = await allClosed(clients);
    // Every one of them is answered by the body deadline (not merely closed by Node's request timeout).
    for (const c of closed) {
      expect(c.answer).toMatch(/^HTTP\/1\.1 408/);
      expect(c.answer).toContain('request/timeout');
      expect(c.answer).toContain('HTTP_BODY_TIMEOUT_MS');
    }
    await stillServes();
  }, 60_000);

  it('keeps the body deadline for an octet-stream body sent to a JSON route', async () => {
    // Only PUT /v1/reports/:id/attachments/:aid may take up to HTTP_REQUEST_TIMEOUT_MS; the content
    // type alone exempts nothing. With a long request timeout, only the body deadline can close these.
    const longRequest = await startApi(
      testConfig(db.url, {
        ...keysEnv,
        LOG_LEVEL: 'warn',
        HTTP_HEADERS_TIMEOUT_MS: String(TIMEOUTS.headers),
        HTTP_BODY_TIMEOUT_MS: String(TIMEOUTS.body),
        HTTP_REQUEST_TIMEOUT_MS: String(10 * CLOSED_WITHIN_MS),
        HTTP_IDLE_TIMEOUT_MS: String(TIMEOUTS.idle),
        HTTP_KEEPALIVE_TIMEOUT_MS: String(TIMEOUTS.keepAlive),
      }),
    );
    try {
      const longPort = Number(new URL(longRequest.url).port);
      const body = 'a'.repeat(500);
      const heads = [
        `POST /v1/reporters/pow-challenges HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n` +
          `Content-Length: ${body.length}\r\n\r\n`,
        `POST /v1/reports/${reportId}/attachments/${randomUUID()} HTTP/1.1\r\nHost: x\r\n` +
          `Content-Type: application/octet-stream\r\nContent-Length: ${body.length}\r\n\r\n`,
      ];
      const clients = Array.from({ length: 10 }, (_, i) => slowClient(longPort, heads[i % 2], body));
      // Rejects naming the sockets still open if anything but the body deadline had to close them.
      const closed = await allClosed(clients);
      expect(closed).toHaveLength(10);
    } finally {
      await longRequest.close();
    }
    await stillServes();
  }, 90_000);

  it('closes 20 attachment uploads that send one byte a second, keeping no staged bytes', async () => {
    const head = (id: string) =>
      `PUT /v1/reports/${reportId}/attachments/${id} HTTP/1.1\r\nHost: x\r\n` +
      `Authorization: ${reporter.auth.authorization}\r\nContent-Type: application/octet-stream\r\n` +
      `Content-Length: 400000\r\n\r\n`;
    // Each sends more than one chunk row (256 KiB) at once, so bytes are staged, then drips the rest.
    const staged = 'x'.repeat(300 * 1024);
    const clients = Array.from({ length: 20 }, () => slowClient(port, head(randomUUID()) + staged, 'x'));
    await stillServes();
    await allClosed(clients);
    await waitFor(
      async () =>
        (await rowsOf<{ n: number }>(db.url, `SELECT count(*)::int AS n FROM attachment_chunks`))[0].n === 0,
      { timeoutMs: 20_000, what: 'staged chunks of the cut-off uploads deleted' },
    );
    const stored = await rowsOf<{ n: number }>(db.url, `SELECT count(*)::int AS n FROM report_attachments`);
    expect(stored[0].n).toBe(0);
    await stillServes();
  }, 60_000);

  it('closes connections that send nothing at all, and idle keep-alive connections', async () => {
    const silent = Array.from({ length: 50 }, () => slowClient(port, '', ''));
    const keptAlive = Array.from({ length: 10 }, () =>
      slowClient(port, 'GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n', ''),
    );
    const closed = await allClosed([...silent, ...keptAlive]);
    expect(closed.slice(50).every((c) => c.answer.startsWith('HTTP/1.1 200'))).toBe(true);
    await stillServes();
  }, 60_000);
});
