import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contractGaps, operationsOf } from './openapi-contract';
import { PROPERTY_TYPES, RESPONSES } from './openapi-schemas';
import { generateOpenApiDocument, OPENAPI_FILE, serializeOpenApiDocument } from './openapi';

const committedText = (): string => readFileSync(join(process.cwd(), OPENAPI_FILE), 'utf8');

/**
 * Gaps still open: none. Every operation has its schemas, error responses and examples, and a
 * route added since must be complete from the start. Each entry would be a line of contractGaps().
 */
const KNOWN_GAPS: readonly string[] = [];

describe('the OpenAPI contract', () => {
  it(`is what ${OPENAPI_FILE} holds (run \`npm run openapi\` after changing a route or a DTO)`, async () => {
    const generated = serializeOpenApiDocument(await generateOpenApiDocument());
    // Not toEqual on the text: a 3,000-line diff helps nobody; the command above fixes it, and
    // the document the code makes is left in .panah/ to compare.
    const same = generated === committedText();
    if (!same) {
      mkdirSync('.panah', { recursive: true });
      writeFileSync('.panah/openapi.generated.json', generated);
    }
    expect(same).toBe(true);
  });

  it('gives every operation its responses, schemas and errors', () => {
    const gaps = contractGaps(JSON.parse(committedText()) as Record<string, unknown>);
    const unexpected = gaps.filter((g) => !KNOWN_GAPS.includes(g));
    expect(unexpected).toEqual([]);
    // A gap that was filled must leave the list too, so the list only ever shrinks.
    expect(KNOWN_GAPS.filter((g) => !gaps.includes(g))).toEqual([]);
  });

  it('describes only operations and DTOs that exist (openapi-schemas.ts follows renames)', () => {
    const document = JSON.parse(committedText()) as { components: { schemas: Record<string, unknown> } };
    const ids = new Set(operationsOf(document).map((o) => String(o.op.operationId)));
    expect(Object.keys(RESPONSES).filter((id) => !ids.has(id))).toEqual([]);
    expect(Object.keys(PROPERTY_TYPES).filter((name) => !document.components.schemas[name])).toEqual([]);
  });
});
