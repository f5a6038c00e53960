import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type CheckedTarget, sendTo } from './outbound-http';

const dir = mkdtempSync(join(tmpdir(), 'panah-outbound-'));
const answered = join(dir, 'answered');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A receiver in its own process, so it answers while this one is busy: it prints `port <n>` when it
 * listens, `got` when a request has arrived in full, and answers 204 `answerAfterMs` later; once the
 * answer is written it creates the file `answered`, which a busy event loop can still see.
 */
async function startReceiver(
  answerAfterMs: number,
): Promise<{ child: ChildProcess; port: number; got: () => Promise<void> }> {
  const code = `
    const server = require('node:http').createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        process.stdout.write('got\\n');
        setTimeout(() => res.writeHead(204).end(() => require('node:fs').writeFileSync(${JSON.stringify(answered)}, '')), ${answerAfterMs});
      });
    });
    server.listen(0, '127.0.0.1', () => process.stdout.write('port ' + server.address().port + '\\n'));
  `;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const waiting: Array<() => void> = [];
  let port = 0;
  const listening = new Promise<void>((resolve) =>
    lines.on('line', (line) => {
      if (line.startsWith('port ')) {
        port = Number(line.slice(5));
        resolve();
      } else if (line === 'got') waiting.shift()?.();
    }),
  );
  await listening;
  return { child, port, got: () => new Promise<void>((resolve) => waiting.push(resolve)) };
}

const target = (port: number): CheckedTarget => ({
  url: new URL(`http://127.0.0.1:${port}/hook`),
  address: '127.0.0.1',
  family: 4,
});
const request = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"n1"}' };

/** Holds the event loop as a CPU-starved or backlogged worker would, for `ms` and until `done()`. */
function busyFor(ms: number, done: () => boolean = () => true): void {
  const until = Date.now() + ms;
  const limit = Date.now() + 60_000;
  while ((Date.now() < until || !done()) && Date.now() < limit);
}

describe('sendTo timeouts', () => {
  const children: ChildProcess[] = [];
  afterEach(async () => {
    rmSync(answered, { force: true });
    for (const child of children.splice(0)) {
      child.kill();
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    }
  });

  it('reads an answer that arrived while the event loop was busy past the timeout, instead of timing it out and sending again', async () => {
    const receiver = await startReceiver(50);
    children.push(receiver.child);
    const got = receiver.got();
    const answer = sendTo(target(receiver.port), request, 400);
    await got; // the receiver has the notification
    busyFor(1_200, () => existsSync(answered)); // its 204 arrives meanwhile; the timeout passes
    await expect(answer).resolves.toBe(204);
  });

  it('still times out a receiver that does not answer', async () => {
    const receiver = await startReceiver(60_000);
    children.push(receiver.child);
    const started = Date.now();
    await expect(sendTo(target(receiver.port), request, 300)).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('gives up on a request that never left, before the receiver gets it', async () => {
    const receiver = await startReceiver(0);
    children.push(receiver.child);
    let received = false;
    void receiver.got().then(() => (received = true));
    const answer = sendTo(target(receiver.port), request, 200);
    busyFor(800); // the connection is not even written to before the first timeout has passed
    await expect(answer).rejects.toMatchObject({ name: 'TimeoutError' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received).toBe(false);
  });
});
