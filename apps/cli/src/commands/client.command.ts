import { Command } from 'commander';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import {
  clientFileHash,
  cryptoReady,
  fromB64uExact,
  openRootKey,
  signClientManifest,
  verifyClientManifest,
} from '@panah/crypto';
import { CliError, CliIo } from '../io';
import { readJsonFile, ROOT_PASSPHRASE_ENV } from './keys.command';

/**
 * `panah client manifest sign` (offline, with the root key, like the key directory) and
 * `panah client verify <url>`: anyone can check that a server serves exactly the signed release
 * of the web clients (DESIGN "The clients"). Paths are the ones the API serves
 * (apps/api/src/web/web-clients.ts): the reporter at /, the console at /console/, /ack and /case.
 */
function filesOf(dir: string, mount: string, out: Map<string, Buffer>): void {
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && !entry.name.startsWith('.'))
        out.set(mount + relative(dir, full).split(sep).join('/'), readFileSync(full));
    }
  };
  walk(dir);
}

/** Served path → bytes for a built web directory (dist/web). */
export function servedFiles(webDir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const isDir = (p: string): boolean => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  };
  if (isDir(join(webDir, 'reporter'))) filesOf(join(webDir, 'reporter'), '/', files);
  if (isDir(join(webDir, 'console'))) filesOf(join(webDir, 'console'), '/console/', files);
  const reporterIndex = files.get('/index.html');
  if (reporterIndex) files.set('/', reporterIndex);
  const consoleIndex = files.get('/console/index.html');
  if (consoleIndex) for (const p of ['/console/', '/ack', '/case']) files.set(p, consoleIndex);
  if (files.size === 0)
    throw new CliError(`no built web client under ${webDir} (run node scripts/build-web.mjs)`);
  return files;
}

export function registerClientCommands(program: Command, io: CliIo): void {
  const client = program
    .command('client')
    .description('release manifests of the web clients: sign them, check what a server serves');
  client
    .command('manifest')
    .description('the signed list of web-client files')
    .command('sign')
    .description('hash every built web-client file and sign the list with the root key (offline)')
    .requiredOption('--root-key <file>', 'encrypted root key file from `keys root init`')
    .option('--web-dir <dir>', 'the built clients', 'dist/web')
    .option('--out <file>', 'write the signed manifest here instead of stdout')
    .action(async (opts: { rootKey: string; webDir: string; out?: string }) => {
      await cryptoReady();
      const files = servedFiles(resolve(opts.webDir));
      const root = openRootKey(
        await readJsonFile(opts.rootKey, 'root key file'),
        await io.readSecret('Root key passphrase', ROOT_PASSPHRASE_ENV),
      );
      try {
        const hashes = Object.fromEntries([...files].map(([path, bytes]) => [path, clientFileHash(bytes)]));
        const doc = `${JSON.stringify(signClientManifest(hashes, root.publicKey, root.privateKey, new Date()), null, 2)}\n`;
        if (opts.out === undefined) io.out(doc);
        else {
          await writeFile(opts.out, doc);
          io.out(`signed manifest of ${files.size} files written to ${opts.out}`);
        }
      } finally {
        root.privateKey.fill(0);
      }
    });

  client
    .command('verify')
    .description('fetch every file of a signed manifest from a server and name each one that differs')
    .argument('<url>', "the server's PUBLIC_URL, e.g. https://panah.example.org")
    .requiredOption('--manifest <file>', 'signed manifest from `client manifest sign`')
    .requiredOption('--root-pk <b64u>', 'the pinned organisation root public key')
    .action(async (url: string, opts: { manifest: string; rootPk: string }) => {
      await cryptoReady();
      let manifest;
      try {
        manifest = verifyClientManifest(
          await readJsonFile(opts.manifest, 'manifest'),
          fromB64uExact(opts.rootPk, 32, '--root-pk'),
        );
      } catch (error) {
        if (error instanceof CliError) throw error;
        throw new CliError('the manifest is not signed by this root key', 2);
      }
      const base = url.replace(/\/+$/, '');
      const differing: string[] = [];
      for (const [path, expected] of Object.entries(manifest.files)) {
        let actual: string | null = null;
        try {
          // Raw: these are the served client's static files (not API routes), compared byte for byte.
          const res = await fetch(`${base}${path}`, { redirect: 'error', cache: 'no-store' });
          if (res.ok) actual = clientFileHash(new Uint8Array(await res.arrayBuffer()));
        } catch {
          actual = null;
        }
        if (actual !== expected) {
          differing.push(path);
          io.out(`${actual === null ? 'MISSING' : 'DIFFERS'} ${path}`);
        }
      }
      if (differing.length > 0)
        throw new CliError(
          `${differing.length} of ${Object.keys(manifest.files).length} files differ from the signed manifest`,
          2,
        );
      io.out(
        `ok: all ${Object.keys(manifest.files).length} files match the manifest signed ${manifest.issuedAt}`,
      );
    });
}
