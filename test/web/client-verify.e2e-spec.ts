import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryIo } from '../../apps/cli/src/io';
import { runCli } from '../../apps/cli/src/program';
import { RunningApp, startApi } from '../support/apps';
import { testConfig } from '../support/config';
import { createTestDatabase, TestDatabase } from '../support/database';
import { buildWebClients } from '../support/web';

/**
 * Served code can be checked (issue 17 point 7): `panah client manifest sign` hashes the built
 * clients and signs the list with the root key offline; `panah client verify <url>` fetches what
 * a server serves and names every file that differs — here, one changed byte.
 */
describe('panah client manifest sign / client verify', () => {
  const PASS = { PANAH_ROOT_PASSPHRASE: 'correct horse battery staple' };
  const dir = mkdtempSync(join(tmpdir(), 'panah-client-'));
  const webDir = join(dir, 'web');
  let db: TestDatabase;
  let api: RunningApp | undefined;
  let rootPk = '';

  beforeAll(async () => {
    db = await createTestDatabase();
    const init = memoryIo(PASS);
    expect(await runCli(['keys', 'root', 'init', '--out', join(dir, 'root.json')], init.io)).toBe(0);
    rootPk = (JSON.parse(readFileSync(join(dir, 'root.json'), 'utf8')) as { pk: string }).pk;
    const built = await buildWebClients(rootPk, ['reporter']);
    cpSync(join(built, 'reporter'), join(webDir, 'reporter'), { recursive: true });
    const sign = memoryIo(PASS);
    expect(
      await runCli(
        [
          'client',
          'manifest',
          'sign',
          '--root-key',
          join(dir, 'root.json'),
          '--web-dir',
          webDir,
          '--out',
          join(dir, 'manifest.json'),
        ],
        sign.io,
      ),
    ).toBe(0);
  }, 600_000);

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  async function serve(): Promise<string> {
    await api?.close();
    api = await startApi(testConfig(db.url, { WEB_DIR: webDir }));
    return api.url;
  }

  it('accepts a server that serves exactly the signed files', async () => {
    const url = await serve();
    const check = memoryIo();
    expect(
      await runCli(
        ['client', 'verify', url, '--manifest', join(dir, 'manifest.json'), '--root-pk', rootPk],
        check.io,
      ),
    ).toBe(0);
    expect(check.out.join('\n')).toMatch(/^ok: all \d+ files match/m);
  });

  it('names the one file whose byte was changed, and refuses a manifest signed by another key', async () => {
    const js = readdirSync(join(webDir, 'reporter', 'assets')).find(
      (f) => f.startsWith('index-') && f.endsWith('.js'),
    ) as string;
    const path = join(webDir, 'reporter', 'assets', js);
    const bytes = readFileSync(path);
    bytes[Math.floor(bytes.length / 2)] ^= 0x01;
    writeFileSync(path, bytes);
    const url = await serve();
    const check = memoryIo();
    expect(
      await runCli(
        ['client', 'verify', url, '--manifest', join(dir, 'manifest.json'), '--root-pk', rootPk],
        check.io,
      ),
    ).toBe(2);
    expect(check.out.filter((l) => /^(DIFFERS|MISSING) /.test(l))).toEqual([`DIFFERS /assets/${js}`]);

    const other = memoryIo(PASS);
    expect(await runCli(['keys', 'root', 'init', '--out', join(dir, 'other.json')], other.io)).toBe(0);
    const otherPk = (JSON.parse(readFileSync(join(dir, 'other.json'), 'utf8')) as { pk: string }).pk;
    const wrong = memoryIo();
    expect(
      await runCli(
        ['client', 'verify', url, '--manifest', join(dir, 'manifest.json'), '--root-pk', otherPk],
        wrong.io,
      ),
    ).toBe(2);
  });
});
