import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import Redis from 'ioredis';

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A redis-server of the test's own, on its own port, that the test may stop and start again
 * (fault tests must not touch the machine's shared Redis).
 */
export class TestRedisServer {
  private proc: ChildProcess | null = null;

  private constructor(
    readonly port: number,
    private readonly policy: string,
  ) {}

  /**
   * Without `port`, on a free port the OS picks (bind port 0), tried again on another one if
   * something took it meanwhile: two runs at once never collide.
   */
  static async start(options: { policy?: string; port?: number } = {}): Promise<TestRedisServer> {
    for (let attempt = 1; ; attempt++) {
      const server = new TestRedisServer(options.port ?? (await freePort()), options.policy ?? 'noeviction');
      try {
        await server.up();
        return server;
      } catch (error) {
        await server.down();
        if (options.port !== undefined || attempt >= 5) throw error;
      }
    }
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    if (this.proc && this.proc.exitCode === null) return;
    this.proc = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--maxmemory-policy',
        this.policy,
      ],
      { stdio: 'ignore' },
    );
    const proc = this.proc;
    let exited = false;
    proc.once('exit', () => (exited = true));
    for (let i = 0; i < 100; i++) {
      // Exited at once: the port is taken (then a probe would reach someone else's server).
      if (exited) throw new Error(`redis-server exited at start on ${this.port} (port taken?)`);
      const probe = new Redis({
        port: this.port,
        host: '127.0.0.1',
        lazyConnect: true,
        retryStrategy: () => null,
        maxRetriesPerRequest: 0,
      });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        await probe.ping();
        probe.disconnect();
        if (exited) throw new Error(`redis-server exited at start on ${this.port} (port taken?)`);
        return;
      } catch {
        probe.disconnect();
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error(`redis-server did not start on ${this.port}`);
  }

  /** Kills the server abruptly (an outage, not a clean shutdown). */
  async down(): Promise<void> {
    const proc = this.proc;
    this.proc = null;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
  }
}
