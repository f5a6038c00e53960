/**
 * The committed crypto-v1 test vectors are exactly what build.ts builds, so `npm run crypto:vectors`
 * changes nothing and no one edits a vector by hand (or commits one built from another input).
 */
import sodium from 'libsodium-wrappers-sumo';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vectorFiles } from './build';

describe('crypto-v1 test vectors', () => {
  it('the committed files are what generate.ts writes, byte for byte', async () => {
    const dir = join(process.cwd(), 'libs', 'crypto', 'test-vectors');
    const built = await vectorFiles(sodium);
    expect(Object.keys(built).sort()).toEqual(readdirSync(dir).filter((f) => f.endsWith('.json')).sort());
    // Names only: an attachment vector is far too long to print as a difference.
    const stale = Object.keys(built).filter((name) => readFileSync(join(dir, name), 'utf8') !== built[name]);
    expect(stale).toEqual([]);
  }, 300_000);
});
