/**
 * Writes the crypto-v1 test vectors (built in build.ts from raw libsodium calls), or with
 * `--check` only compares them with the committed files and exits 1 naming those that differ.
 *
 *   npm run crypto:vectors          (from the repository root)
 *   npm run crypto:vectors -- --check
 *
 * Every input is fixed, so writing again changes nothing.
 */
import sodium from 'libsodium-wrappers-sumo';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { vectorFiles } from './build';

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const dir = join(process.cwd(), 'libs', 'crypto', 'test-vectors');
  const stale: string[] = [];
  for (const [name, text] of Object.entries(await vectorFiles(sodium))) {
    const path = join(dir, name);
    const current = existsSync(path) ? readFileSync(path, 'utf8') : null;
    if (check) {
      if (current !== text) stale.push(name);
      continue;
    }
    writeFileSync(path, text);
    process.stdout.write(`${current === text ? 'unchanged' : 'wrote'} ${name}\n`);
  }
  if (stale.length > 0) {
    process.stderr.write(`test vectors differ from what generate.ts builds: ${stale.join(', ')} (npm run crypto:vectors)\n`);
    process.exitCode = 1;
  } else if (check) process.stdout.write('test vectors current\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
