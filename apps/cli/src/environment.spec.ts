import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { memoryIo } from './io';
import { CLI_ENVIRONMENT } from './environment';
import { runCli } from './program';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('the CLI environment', () => {
  it('lists in --help every PANAH_ variable the CLI and its config read', async () => {
    const used = new Set<string>();
    for (const file of [...sources('apps/cli/src'), 'libs/config/src/dotenv.ts']) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bPANAH_[A-Z_]+\b/g))
        if (m[0] !== 'PANAH_CONFIG') used.add(m[0]);
    }
    const listed = new Set(CLI_ENVIRONMENT.map(([name]) => name));
    expect([...used].filter((name) => !listed.has(name)).sort()).toEqual([]);
    const { io, out } = memoryIo({});
    expect(await runCli(['--help'], io)).toBe(0);
    const help = out.join('');
    for (const name of used) expect(help).toContain(name);
    const readme = readFileSync('README.md', 'utf8');
    for (const name of used) expect(readme).toContain(name);
  });
});
