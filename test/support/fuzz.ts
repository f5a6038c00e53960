import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';

/** A hostile request body: what it is (for the failure list), its bytes and how it is labelled. */
export interface HostileBody {
  readonly label: string;
  readonly body: string | Buffer;
  /** null: no content-type header at all. */
  readonly contentType: string | null;
  readonly contentEncoding?: string;
}

/** A write operation of the committed OpenAPI document. */
export interface WriteOperation {
  readonly method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The document's path, e.g. `/v1/admin/teams/{id}`. */
  readonly path: string;
  /** The same with `:params`, as Nest spells it. */
  readonly nestPath: string;
  readonly pathParams: readonly { name: string; type: string }[];
  /** The JSON body's schema (resolved), or null when the operation takes none in JSON. */
  readonly bodySchema: JsonSchema | null;
}

export interface JsonSchema {
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly items?: JsonSchema;
  readonly required?: readonly string[];
  readonly $ref?: string;
  readonly oneOf?: readonly JsonSchema[];
  readonly anyOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { name: string; in: string; schema?: { type?: string } }[];
        requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
      }
    >
  >;
  components?: { schemas?: Record<string, JsonSchema> };
}

/**
 * Every POST, PUT, PATCH and DELETE of `docs/openapi.json` (the committed contract, so a new route
 * is fuzzed as soon as it is documented, and the contract test keeps the document current).
 */
export function writeOperations(root = process.cwd()): WriteOperation[] {
  const doc = JSON.parse(readFileSync(join(root, 'docs', 'openapi.json'), 'utf8')) as OpenApiDocument;
  const resolve = (s: JsonSchema | undefined, depth = 0): JsonSchema | null => {
    if (!s || depth > 6) return null;
    if (s.$ref) return resolve(doc.components?.schemas?.[s.$ref.split('/').pop() ?? ''], depth + 1);
    const alt = s.allOf?.[0] ?? s.oneOf?.[0] ?? s.anyOf?.[0];
    const base = alt && !s.properties ? (resolve(alt, depth + 1) ?? s) : s;
    const properties = base.properties
      ? Object.fromEntries(Object.entries(base.properties).map(([k, v]) => [k, resolve(v, depth + 1) ?? {}]))
      : undefined;
    const items = base.items ? (resolve(base.items, depth + 1) ?? undefined) : undefined;
    return { ...base, properties, items };
  };
  const out: WriteOperation[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(ops)) {
      const method = m.toUpperCase();
      if (method !== 'POST' && method !== 'PUT' && method !== 'PATCH' && method !== 'DELETE') continue;
      out.push({
        method,
        path,
        nestPath: path.replace(/\{([^}]+)\}/g, ':$1'),
        pathParams: (op.parameters ?? [])
          .filter((p) => p.in === 'path')
          .map((p) => ({ name: p.name, type: p.schema?.type ?? 'string' })),
        bodySchema: resolve(op.requestBody?.content?.['application/json']?.schema),
      });
    }
  }
  return out;
}

/** A body that satisfies the schema's types (not its rules): the base each mutation changes. */
export function typedSkeleton(schema: JsonSchema | null | undefined, depth = 0): unknown {
  if (!schema || depth > 4) return 'a';
  if (schema.enum?.length) return schema.enum[0];
  if (schema.type === 'object' || (!schema.type && schema.properties))
    return Object.fromEntries(
      Object.entries(schema.properties ?? {}).map(([k, v]) => [k, typedSkeleton(v, depth + 1)]),
    );
  if (schema.type === 'array') return [typedSkeleton(schema.items, depth + 1)];
  if (schema.type === 'number' || schema.type === 'integer') return 1;
  if (schema.type === 'boolean') return true;
  return 'a';
}

const nested = (levels: number, leaf: unknown = 1): unknown => {
  let v: unknown = leaf;
  for (let i = 0; i < levels; i++) v = i % 2 ? { a: v } : [v];
  return v;
};

/** Values of every wrong kind, for any field. */
export const JUNK_VALUES: readonly [string, unknown][] = [
  ['null', null],
  ['true', true],
  ['zero', 0],
  ['negative', -1],
  ['fraction', 1.5],
  ['unsafe integer', 2 ** 53 + 1],
  ['huge number', 1e308],
  ['tiny negative', -1e308],
  ['empty string', ''],
  ['blank string', '   '],
  ['long string', 'x'.repeat(20_000)],
  ['NUL in a string', 'a\u0000b'],
  ['lone surrogate', 'a\ud800b'],
  ['bidi override', '\u202e\u2066abc'],
  ['number as string', '9'.repeat(400)],
  ['date out of range', '+275760-09-13T00:00:00.001Z'],
  ['bad date', '2026-13-45T99:99:99Z'],
  ['not a uuid', '00000000-0000-0000-0000-00000000000g'],
  ['empty array', []],
  ['array of nulls', [null, null]],
  ['long array', Array.from({ length: 1_000 }, (_, i) => i)],
  ['empty object', {}],
  ['object of junk', { a: { b: [1, 'x', null] } }],
  ['nesting at the limit', nested(15)],
  ['nesting past the limit', nested(40)],
];

/** Bodies every operation receives, whatever its schema. */
export function genericHostileBodies(limitBytes: number): HostileBody[] {
  const json = (label: string, body: string): HostileBody => ({
    label,
    body,
    contentType: 'application/json',
  });
  const out: HostileBody[] = [
    ...['null', 'true', '0', '-1', '1e309', '"text"', '[]', '[null]', '[{}]', '[[[]]]', '{}'].map((b) =>
      json(`top level ${b}`, b),
    ),
    ...[
      '{',
      '{"a":}',
      "{'a':1}",
      '[1,]',
      'NaN',
      '{"a":1}{"b":2}',
      '{"a":1,"a":2}',
      '\u0000',
      '{"a":"\\u0000"}',
      '{"a":"\\ud800"}',
      '{"a":01}',
      '{"a":1e99999}',
      ' ',
      '',
      '\ufeff{}',
    ].map((b) => json(`malformed ${JSON.stringify(b).slice(0, 20)}`, b)),
    json('17 nested arrays', '['.repeat(17) + ']'.repeat(17)),
    json('17 nested objects', '{"a":'.repeat(17) + '1' + '}'.repeat(17)),
    json('10,000 nested arrays', '['.repeat(10_000) + ']'.repeat(10_000)),
    json('unbalanced nesting', '['.repeat(5_000)),
    ...[
      '{"__proto__":{"role":"admin","isAdmin":true}}',
      '{"constructor":{"prototype":{"role":"admin"}}}',
      '{"a":{"__proto__":{"x":1}}}',
      '{"toString":"x"}',
      '{"hasOwnProperty":1}',
      '{"__proto__":null}',
      '[{"__proto__":{"x":1}}]',
      '{"valueOf":{}}',
    ].map((b) => json(`prototype key ${b.slice(0, 24)}`, b)),
    {
      label: 'invalid UTF-8',
      body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      contentType: 'application/json',
    },
    {
      label: 'overlong UTF-8',
      body: Buffer.from([0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d]),
      contentType: 'application/json',
    },
    {
      label: 'UTF-16 declared',
      body: Buffer.from('{"a":1}', 'utf16le'),
      contentType: 'application/json; charset=utf-16',
    },
    {
      label: 'UTF-16 undeclared',
      body: Buffer.from('\ufeff{"a":1}', 'utf16le'),
      contentType: 'application/json',
    },
    {
      label: 'latin1 declared',
      body: Buffer.from('{"a":"é"}', 'latin1'),
      contentType: 'application/json; charset=latin1',
    },
    { label: 'bogus charset', body: '{}', contentType: 'application/json; charset=bogus-8' },
    {
      label: 'gzip garbage',
      body: Buffer.from('not gzip at all'),
      contentType: 'application/json',
      contentEncoding: 'gzip',
    },
    {
      label: 'gzip bomb-ish',
      body: gzipSync(Buffer.alloc(limitBytes * 4, 0x20)),
      contentType: 'application/json',
      contentEncoding: 'gzip',
    },
    {
      label: 'deflate garbage',
      body: Buffer.from([1, 2, 3, 4]),
      contentType: 'application/json',
      contentEncoding: 'deflate',
    },
    {
      label: 'brotli encoding',
      body: Buffer.from([1, 2, 3, 4]),
      contentType: 'application/json',
      contentEncoding: 'br',
    },
    { label: 'unknown encoding', body: '{}', contentType: 'application/json', contentEncoding: 'x-bogus' },
    { label: 'text/plain', body: '{"a":1}', contentType: 'text/plain' },
    { label: 'form', body: 'a=1&b[c]=2&__proto__[x]=1', contentType: 'application/x-www-form-urlencoded' },
    {
      label: 'multipart',
      body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n',
      contentType: 'multipart/form-data; boundary=x',
    },
    { label: 'xml', body: '<?xml version="1.0"?><a>1</a>', contentType: 'application/xml' },
    { label: 'json with a suffix type', body: '{}', contentType: 'application/merge-patch+json' },
    { label: 'no content type', body: '{"a":1}', contentType: null },
    { label: 'octet-stream', body: Buffer.from('{"a":1}'), contentType: 'application/octet-stream' },
    { label: 'garbage content type', body: '{}', contentType: ';;;==' },
    json('oversized string', `{"a":"${'x'.repeat(limitBytes + 16)}"}`),
    json('oversized array', `[${'1,'.repeat(Math.ceil(limitBytes / 2))}1]`),
  ];
  return out;
}

/** Bodies shaped like the operation's schema, one field at a time made wrong. */
export function schemaHostileBodies(schema: JsonSchema | null): HostileBody[] {
  if (!schema || schema.type !== 'object' || !schema.properties) return [];
  const skeleton = typedSkeleton(schema) as Record<string, unknown>;
  const out: HostileBody[] = [];
  const body = (label: string, value: unknown): HostileBody => ({
    label,
    body: JSON.stringify(value),
    contentType: 'application/json',
  });
  for (const [name, prop] of Object.entries(schema.properties)) {
    for (const [junk, value] of JUNK_VALUES)
      out.push(body(`${name}: ${junk}`, { ...skeleton, [name]: value }));
    const { [name]: _gone, ...without } = skeleton;
    out.push(body(`${name} missing`, without));
    // One level down: each field of a nested object, and an array's element.
    const inner = prop.type === 'array' ? prop.items : prop;
    if (inner?.type === 'object' && inner.properties) {
      const innerSkeleton = typedSkeleton(inner) as Record<string, unknown>;
      for (const innerName of Object.keys(inner.properties))
        for (const [junk, value] of JUNK_VALUES.filter((_, i) => i % 3 === 0)) {
          const changed = { ...innerSkeleton, [innerName]: value };
          out.push(
            body(`${name}.${innerName}: ${junk}`, {
              ...skeleton,
              [name]: prop.type === 'array' ? [changed] : changed,
            }),
          );
        }
    }
  }
  out.push(body('unknown extra field', { ...skeleton, extra: 'x' }));
  out.push(body('every field null', Object.fromEntries(Object.keys(skeleton).map((k) => [k, null]))));
  return out;
}

/** Random JSON, keyed like the schema half the time, to fill an operation's share up to `n`. */
export function randomHostileBodies(schema: JsonSchema | null, n: number, seed: number): HostileBody[] {
  if (n <= 0) return [];
  const names = Object.keys(schema?.properties ?? {});
  const key =
    names.length > 0
      ? fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 8 }))
      : fc.string({ maxLength: 8 });
  const value = fc.oneof(
    fc.anything({ maxDepth: 3, maxKeys: 4, withNullPrototype: false }),
    fc.string({ maxLength: 300, unit: 'binary' }),
    fc.double(),
    fc.bigInt().map((b) => b.toString()),
  );
  const arb = fc.oneof(fc.dictionary(key, value, { maxKeys: 6 }), fc.array(value, { maxLength: 4 }), value);
  return fc.sample(arb, { numRuns: n, seed }).map((v, i) => ({
    label: `random #${i} (seed ${seed})`,
    body: JSON.stringify(v) ?? 'null',
    contentType: 'application/json',
  }));
}

/** At least `min` hostile bodies for one operation: the generic ones, the schema's, then random. */
export function hostileBodiesFor(
  op: WriteOperation,
  limitBytes: number,
  min: number,
  seed: number,
): HostileBody[] {
  const fixed = [...genericHostileBodies(limitBytes), ...schemaHostileBodies(op.bodySchema)];
  return [...fixed, ...randomHostileBodies(op.bodySchema, Math.max(min - fixed.length, 60), seed)];
}

/** Runs `task` over `items` with at most `concurrency` in flight, in order of start. */
export async function inParallel<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
