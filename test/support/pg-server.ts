import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from './redis-server';

const run = promisify(execFile);

/** The newest PostgreSQL server binaries on this machine (Debian layout), or the PATH's. */
function pgBin(tool: string): string {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', tool)))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length > 0) return join(root, versions[0], 'bin', tool);
  }
  return tool;
}

/** initdb and the server refuse to run as root: as root, run them as `postgres`. */
function asOwner(tool: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0
    ? ['runuser', ['-u', 'postgres', '--', pgBin(tool), ...args]]
    : [pgBin(tool), args];
}

function postgresIds(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string): number =>
    Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * A PostgreSQL server of the caller's own (its own data directory and port, trust auth on
 * loopback), that a fault test may stop abruptly and start again. Never the machine's shared one.
 */
export class TestPgServer {
  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  /**
   * initdb + start. Without `port`, on a free port the OS picks (bind port 0), tried again on
   * another one if something took it meanwhile: two runs at once never collide.
   */
  static async start(port?: number): Promise<TestPgServer> {
    if (port !== undefined) await TestPgServer.removeLeftovers(port);
    const dir = mkdtempSync(join(tmpdir(), `panah-pg-${port ?? 'any'}-`));
    const ids = postgresIds();
    if (ids) chownSync(dir, ids.uid, ids.gid);
    const data = join(dir, 'data');
    const [cmd, args] = asOwner('initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '--no-sync',
      '-E',
      'UTF8',
      '--locale=C.UTF-8',
    ]);
    await run(cmd, args, { cwd: dir });
    for (let attempt = 1; ; attempt++) {
      const server = new TestPgServer(port ?? (await freePort()), dir);
      try {
        await server.up();
        return server;
      } catch (error) {
        // The port was taken between freePort() and the server's bind: another one.
        if (port !== undefined || attempt >= 5) {
          rmSync(dir, { recursive: true, force: true });
          throw error;
        }
      }
    }
  }

  /** A run that was killed before its clean-up leaves its server behind on the same port. */
  private static async removeLeftovers(port: number): Promise<void> {
    for (const old of readdirSync(tmpdir()).filter((d) => d.startsWith(`panah-pg-${port}-`))) {
      const [cmd, args] = asOwner('pg_ctl', [
        '-D',
        join(tmpdir(), old, 'data'),
        '-m',
        'immediate',
        '-w',
        'stop',
      ]);
      await run(cmd, args).catch(() => undefined);
      rmSync(join(tmpdir(), old), { recursive: true, force: true });
    }
  }

  get adminUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** A database URL on this server. */
  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async up(): Promise<void> {
    const opts = [
      `-p ${this.port}`,
      `-k ${this.dir}`,
      `-c listen_addresses=127.0.0.1`,
      // fsync off loses data only if the OS crashes; an immediate stop (a PostgreSQL crash) keeps
      // every commit, as in production. synchronous_commit stays on: a 2xx must survive the stop.
      `-c fsync=off`,
      `-c full_page_writes=off`,
      `-c max_connections=300`,
      `-c shared_buffers=64MB`,
    ].join(' ');
    const [cmd, args] = asOwner('pg_ctl', [
      '-D',
      join(this.dir, 'data'),
      '-l',
      join(this.dir, 'server.log'),
      '-o',
      opts,
      '-w',
      '-t',
      '60',
      'start',
    ]);
    await run(cmd, args, { cwd: this.dir });
    await this.waitReady();
  }

  /** `pg_ctl stop -m immediate`: every backend dies at once, as in a crash. */
  async down(mode: 'immediate' | 'fast' = 'immediate'): Promise<void> {
    const [cmd, args] = asOwner('pg_ctl', [
      '-D',
      join(this.dir, 'data'),
      '-m',
      mode,
      '-w',
      '-t',
      '60',
      'stop',
    ]);
    await run(cmd, args, { cwd: this.dir }).catch(() => undefined);
  }

  /** Stops the server and removes its data directory. */
  async destroy(): Promise<void> {
    await this.down('immediate');
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async waitReady(): Promise<void> {
    for (let i = 0; i < 300; i++) {
      const c = new Client({ connectionString: this.adminUrl, connectionTimeoutMillis: 1_000 });
      try {
        await c.connect();
        await c.query('SELECT 1');
        await c.end();
        return;
      } catch {
        await c.end().catch(() => undefined);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(`PostgreSQL did not start on ${this.port}`);
  }
}
