import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contractGaps, operationsOf } from './openapi-contract';
import { PROPERTY_TYPES, RESPONSES } from './openapi-schemas';
import {
  buildOpenApiDocument,
  generateOpenApiDocument,
  OPENAPI_FILE,
  operationsReadingBody,
  serializeOpenApiDocument,
  withPreviewApp,
} from './openapi';

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

  it('lists the 413 and 429 of the intake PUT routes, with the error body, examples and Retry-After', () => {
    type Response = {
      headers?: Record<string, unknown>;
      content?: Record<string, { schema?: { $ref?: string }; examples?: Record<string, { value: Json }> }>;
    };
    type Json = { statusCode?: number; code?: string; reason?: string };
    const document = JSON.parse(committedText()) as {
      paths: Record<string, Record<string, { responses: Record<string, Response> }>>;
    };
    const reasonsOf = (path: string, status: string): string[] => {
      const response = document.paths[path]?.put?.responses[status];
      const json = response?.content?.['application/json'];
      expect({ path, status, schema: json?.schema?.$ref }).toEqual({
        path,
        status,
        schema: '#/components/schemas/ErrorBody',
      });
      if (status === '429') expect(Object.keys(response?.headers ?? {})).toContain('Retry-After');
      const examples = Object.values(json?.examples ?? {}).map((e) => e.value);
      for (const e of examples) expect(e.statusCode).toBe(Number(status));
      return examples.map((e) => `${e.code} ${e.reason ?? ''}`.trim());
    };
    expect(reasonsOf('/v1/reports/{id}', '413')).toEqual(['request/payload_too_large']);
    expect(reasonsOf('/v1/reports/{id}', '429')).toEqual(['request/rate_limited quota/reports_per_day']);
    const upload = '/v1/reports/{id}/attachments/{attachmentId}';
    expect(reasonsOf(upload, '413')).toEqual([
      'request/payload_too_large attachment/too_large',
      'request/payload_too_large quota/bytes_stored',
    ]);
    expect(reasonsOf(upload, '429')).toEqual([
      'request/rate_limited quota/uploads_in_flight',
      'request/rate_limited quota/attachments_per_day',
    ]);
  });

  it('documents the request body of every route that reads one (a `@Body()` of type object has none)', async () => {
    const undocumented = await withPreviewApp((app) => {
      const document = buildOpenApiDocument(app) as unknown as Record<string, unknown>;
      const withBody = new Set(
        operationsOf(document)
          .filter(({ op }) => op.requestBody)
          .map(({ op }) => String(op.operationId)),
      );
      return [...operationsReadingBody(app)].filter((id) => !withBody.has(id)).sort();
    });
    expect(undocumented).toEqual([]);
  });

  it('describes only operations and DTOs that exist (openapi-schemas.ts follows renames)', () => {
    const document = JSON.parse(committedText()) as { components: { schemas: Record<string, unknown> } };
    const ids = new Set(operationsOf(document).map((o) => String(o.op.operationId)));
    expect(Object.keys(RESPONSES).filter((id) => !ids.has(id))).toEqual([]);
    expect(Object.keys(PROPERTY_TYPES).filter((name) => !document.components.schemas[name])).toEqual([]);
  });
});
