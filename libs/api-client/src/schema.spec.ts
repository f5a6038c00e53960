import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('@panah/api-client types', () => {
  it('are generated from docs/openapi.json as committed (run `npm run openapi`)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'panah-api-client-'));
    try {
      const out = join(dir, 'schema.ts');
      execFileSync(
        process.execPath,
        // As scripts/openapi.sh runs it: a property with a default stays optional (a request may omit it).
        [
          'node_modules/openapi-typescript/bin/cli.js',
          'docs/openapi.json',
          '--default-non-nullable',
          'false',
          '-o',
          out,
        ],
        { stdio: 'ignore' },
      );
      expect(readFileSync(out, 'utf8') === readFileSync('libs/api-client/src/schema.ts', 'utf8')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
