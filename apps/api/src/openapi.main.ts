/**
 * Writes the OpenAPI document to docs/openapi.json (`--check`: exits 1 if the file differs).
 * Run through `npm run openapi`, which also regenerates libs/api-client's types from it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateOpenApiDocument, OPENAPI_FILE, serializeOpenApiDocument } from './openapi';

async function main(): Promise<void> {
  const file = resolve(process.cwd(), OPENAPI_FILE);
  const text = serializeOpenApiDocument(await generateOpenApiDocument());
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      // missing counts as different
    }
    if (current !== text) {
      process.stderr.write(`${OPENAPI_FILE} is out of date: run \`npm run openapi\` and commit the result\n`);
      process.exit(1);
    }
    return;
  }
  writeFileSync(file, text);
  process.stderr.write(`wrote ${OPENAPI_FILE}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `openapi: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
