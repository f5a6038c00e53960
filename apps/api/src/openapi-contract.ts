/**
 * What "a complete API contract" means, checked over an OpenAPI document (see openapi.spec.ts):
 * every operation answers at least one 2xx, every response that has a body has a schema, every
 * operation lists the errors it can answer with the error body, and no request or response schema
 * is a bare `object` (every object names its properties or the type of its values), and every
 * success response and request body shows an example (its own, or one for each required part).
 */
type Json = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const NO_BODY = new Set(['204', '304']);

export interface Operation {
  readonly method: string;
  readonly path: string;
  readonly op: Json;
}

export function operationsOf(document: Json): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries((document.paths ?? {}) as Record<string, Json>)) {
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (op) out.push({ method: method.toUpperCase(), path, op });
    }
  }
  return out;
}

function resolve(document: Json, schema: Json | undefined): Json | undefined {
  let s = schema;
  for (let i = 0; s && typeof s.$ref === 'string' && i < 20; i++) {
    const name = s.$ref.replace('#/components/schemas/', '');
    s = ((document.components as Json | undefined)?.schemas as Record<string, Json> | undefined)?.[name];
  }
  return s;
}

/** Paths inside a schema that are a bare object or an array without items. */
function vagueParts(document: Json, schema: Json | undefined, at: string, seen = new Set<Json>()): string[] {
  const s = resolve(document, schema);
  if (!s || seen.has(s)) return [];
  seen.add(s);
  const out: string[] = [];
  for (const key of ['allOf', 'oneOf', 'anyOf'] as const) {
    const list = s[key] as Json[] | undefined;
    list?.forEach((sub, i) => out.push(...vagueParts(document, sub, `${at}.${key}[${i}]`, seen)));
  }
  const composed = Boolean(s.allOf || s.oneOf || s.anyOf);
  if (s.type === 'object' || s.properties) {
    const props = s.properties as Record<string, Json> | undefined;
    const extra = s.additionalProperties;
    // `additionalProperties: true` is a deliberate free-form map only when an example shows it.
    const freeForm = extra === true && s.example !== undefined;
    if (
      !composed &&
      !freeForm &&
      (!props || Object.keys(props).length === 0) &&
      (extra === undefined || extra === true)
    )
      out.push(at);
    for (const [name, sub] of Object.entries(props ?? {}))
      out.push(...vagueParts(document, sub, `${at}.${name}`, seen));
    if (extra && typeof extra === 'object')
      out.push(...vagueParts(document, extra as Json, `${at}[*]`, seen));
  }
  if (s.type === 'array') {
    if (!s.items) out.push(`${at}[]`);
    else out.push(...vagueParts(document, s.items as Json, `${at}[]`, seen));
  }
  return out;
}

/** True when a client author can see a sample value: the schema's own, or one for each required part. */
function hasExample(document: Json, schema: Json | undefined, seen = new Set<Json>()): boolean {
  const s = resolve(document, schema);
  if (!s) return false;
  if (s.example !== undefined || Array.isArray(s.enum) || s.default !== undefined) return true;
  if (seen.has(s)) return true;
  seen.add(s);
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
    const list = s[key] as Json[] | undefined;
    if (list?.length) return list.some((sub) => hasExample(document, sub, seen));
  }
  if (s.type === 'array') return hasExample(document, s.items as Json | undefined, seen);
  const props = s.properties as Record<string, Json> | undefined;
  if (props && Object.keys(props).length > 0) {
    const required = (s.required as string[] | undefined) ?? [];
    const names = required.length > 0 ? required : Object.keys(props);
    return names.every((n) => !props[n] || hasExample(document, props[n], seen));
  }
  return s.type === 'boolean';
}

function mediaExample(body: Json | undefined): boolean {
  const content = body?.content as Record<string, Json> | undefined;
  return Object.values(content ?? {}).some((m) => m.example !== undefined || m.examples !== undefined);
}

function schemaOf(body: Json | undefined): Json | undefined {
  const content = body?.content as Record<string, Json> | undefined;
  if (!content) return undefined;
  const media = content['application/json'] ?? Object.values(content)[0];
  return media?.schema as Json | undefined;
}

/** Every way the document falls short of a complete contract, one line each ("GET /v1/x: …"). */
export function contractGaps(document: Json): string[] {
  const gaps: string[] = [];
  for (const { method, path, op } of operationsOf(document)) {
    const name = `${method} ${path}`;
    const responses = (op.responses ?? {}) as Record<string, Json>;
    const codes = Object.keys(responses);
    if (!codes.some((c) => c.startsWith('2'))) gaps.push(`${name}: no 2xx response`);
    if (!codes.some((c) => c.startsWith('4') || c.startsWith('5'))) gaps.push(`${name}: no error response`);
    for (const [code, response] of Object.entries(responses)) {
      if (NO_BODY.has(code)) continue;
      const schema = schemaOf(response);
      if (!schema) {
        gaps.push(`${name}: ${code} has no schema`);
        continue;
      }
      for (const part of vagueParts(document, schema, 'body'))
        gaps.push(`${name}: ${code} ${part} is a bare object`);
      // A binary answer (an attachment's ciphertext) has no meaningful text example, as a binary
      // request body has none (below).
      const binary = Boolean((response.content as Json | undefined)?.['application/octet-stream']);
      if (code.startsWith('2') && !binary && !mediaExample(response) && !hasExample(document, schema))
        gaps.push(`${name}: ${code} has no example`);
    }
    const request = op.requestBody as Json | undefined;
    if (request) {
      const schema = schemaOf(request);
      if (!schema) gaps.push(`${name}: request body has no schema`);
      else {
        for (const part of vagueParts(document, schema, 'body'))
          gaps.push(`${name}: request ${part} is a bare object`);
        if (
          !mediaExample(request) &&
          !hasExample(document, schema) &&
          !(request.content as Json)['application/octet-stream']
        )
          gaps.push(`${name}: request body has no example`);
      }
    }
  }
  return gaps;
}
