import { INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { AccessPolicy } from '@panah/domain';
import { loadConfig } from '@panah/config';
import { ACCESS_POLICY } from '@panah/security';
import { ERROR_BODY_REF } from './http/api-errors';
import { OUTAGE_RETRY_AFTER_SECONDS } from './http/error-filter';
import { NAMED_SCHEMAS, PROPERTY_TYPES, RESPONSES } from './openapi-schemas';
import { ApiModule } from './app.module';

/** Where the committed OpenAPI document lives, relative to the repository root. */
export const OPENAPI_FILE = 'docs/openapi.json';

/** Every route is under /v1 except health and metrics (the served app and the generator agree). */
export function setApiPrefix(app: INestApplication): void {
  app.setGlobalPrefix('v1', {
    exclude: [
      { path: 'health/*path', method: RequestMethod.ALL },
      { path: 'metrics', method: RequestMethod.ALL },
    ],
  });
}

/** Every error answers this body (apps/api/src/http/error-filter.ts). */
export const ERROR_BODY_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'code', 'message'],
  properties: {
    statusCode: { type: 'integer', example: 400, description: 'the HTTP status, repeated' },
    code: {
      type: 'string',
      example: 'request/validation_failed',
      description:
        'the category, stable: request/validation_failed, request/malformed_json, request/payload_too_large, request/unsupported_media_type, request/not_found, request/rate_limited, request/conflict, auth/unauthenticated, auth/forbidden, server/internal, server/unavailable',
    },
    reason: {
      type: 'string',
      example: 'envelope/unknown_recipient',
      description: 'the specific, stable cause a client can act on, when there is one',
    },
    message: {
      type: 'string',
      example: 'Request validation failed',
      description: 'for humans; never contains secrets or submitted values',
    },
    fields: {
      type: 'array',
      description:
        'each offending input: `path` names the field (`recipients[2].wk`), `message` says what is wrong with it',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: {
          path: { type: 'string', example: 'recipients[2].wk' },
          message: { type: 'string', example: 'must be 32 bytes in base64url' },
        },
      },
    },
    pow: {
      type: 'object',
      description:
        'only with reason `login/pow_required` (POST /v1/staff/login): the proof of work to solve and send back as `pow: {challenge, nonce}`',
      required: ['challenge', 'difficulty', 'algorithm', 'expiresAt'],
      properties: {
        challenge: { type: 'string', description: 'base64url, 32 bytes' },
        difficulty: {
          type: 'integer',
          description: 'leading zero bits SHA-256(challenge || nonce) must have',
        },
        algorithm: { type: 'string', enum: ['sha256'] },
        expiresAt: { type: 'string', format: 'date-time' },
      },
    },
  },
  example: {
    statusCode: 400,
    code: 'request/validation_failed',
    message: 'Request validation failed',
    fields: [{ path: 'recipients[2].wk', message: 'must be 32 bytes in base64url' }],
  },
};

type Json = Record<string, unknown>;
type Method = (...args: unknown[]) => unknown;

/** Access policy per operation id (`Controller_method`), read from the controllers' metadata. */
function accessPolicies(app: INestApplication): Map<string, AccessPolicy> {
  const container = (
    app as unknown as {
      container: { getModules(): Map<string, { controllers: Map<unknown, { metatype: unknown }> }> };
    }
  ).container;
  const out = new Map<string, AccessPolicy>();
  for (const module of container.getModules().values()) {
    for (const { metatype } of module.controllers.values()) {
      if (typeof metatype !== 'function') continue;
      const proto = (metatype as { prototype: Record<string, unknown> }).prototype;
      const onClass = Reflect.getMetadata(ACCESS_POLICY, metatype) as AccessPolicy | undefined;
      for (const name of Object.getOwnPropertyNames(proto)) {
        if (name === 'constructor' || typeof proto[name] !== 'function') continue;
        const policy =
          (Reflect.getMetadata(ACCESS_POLICY, proto[name] as Method) as AccessPolicy | undefined) ?? onClass;
        if (policy) out.set(`${metatype.name}_${name}`, policy);
      }
    }
  }
  return out;
}

/** Nest's route-argument metadata key and its code for `@Body()` (@nestjs/common's constants). */
const ROUTE_ARGS_METADATA = '__routeArguments__';
const BODY_PARAMTYPE = 3;

/**
 * Operation ids (`Controller_method`) whose handler reads a request body: a `@Body()` parameter, or
 * `@ApiConsumes` for one read from the raw request (attachment uploads). Each must document it.
 */
export function operationsReadingBody(app: INestApplication): Set<string> {
  const container = (
    app as unknown as {
      container: { getModules(): Map<string, { controllers: Map<unknown, { metatype: unknown }> }> };
    }
  ).container;
  const out = new Set<string>();
  for (const module of container.getModules().values()) {
    for (const { metatype } of module.controllers.values()) {
      if (typeof metatype !== 'function') continue;
      const proto = (metatype as { prototype: Record<string, unknown> }).prototype;
      for (const name of Object.getOwnPropertyNames(proto)) {
        if (name === 'constructor' || typeof proto[name] !== 'function') continue;
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, metatype, name) ?? {}) as Record<
          string,
          unknown
        >;
        const readsBody = Object.keys(args).some((key) => key.split(':')[0] === String(BODY_PARAMTYPE));
        const consumes = Reflect.getMetadata('swagger/apiConsumes', proto[name] as Method) as unknown;
        if (readsBody || consumes) out.add(`${metatype.name}_${name}`);
      }
    }
  }
  return out;
}

const WRITE_METHODS = new Set(['post', 'put', 'patch', 'delete']);

const GENERIC: Record<string, string> = {
  '400': '`request/validation_failed`: a field is missing or malformed (each one named in `fields`)',
  '400body': '`request/malformed_json`: the body is not JSON',
  '400parse':
    '`request/nesting_too_deep`: the JSON body nests too deeply (code `request/validation_failed`; a property name such as `__proto__` is refused the same way, named in `fields`)',
  '401': '`auth/unauthenticated`: no valid session token',
  '403': "`auth/forbidden`: the session's role may not call this",
  '404': '`request/not_found`: nothing with this id is visible to the caller',
  '413': '`request/payload_too_large`: the body is over the limit',
  '415': '`request/unsupported_media_type`: the body is not of the documented type',
  '500': '`server/internal`: an unexpected fault (details only in the server log)',
  '503': `\`server/unavailable\`: PostgreSQL (or another dependency) is unreachable; nothing was committed, so the same request may be retried after \`Retry-After\` (${OUTAGE_RETRY_AFTER_SECONDS} s)`,
};

/** The 503 the error filter answers while a dependency is unreachable (apps/api/src/http/error-filter.ts). */
const UNAVAILABLE = {
  description: GENERIC['503'],
  headers: {
    'Retry-After': {
      description: 'whole seconds until a retry may succeed',
      schema: { type: 'integer', example: OUTAGE_RETRY_AFTER_SECONDS },
    },
  },
  content: {
    'application/json': {
      schema: ERROR_BODY_REF,
      examples: {
        unavailable: {
          summary: 'the database is unreachable',
          value: {
            statusCode: 503,
            code: 'server/unavailable',
            message: 'Service temporarily unavailable; retry later',
          },
        },
      },
    },
  },
};

/**
 * Adds to every operation the errors its kind always can answer, all with the ErrorBody schema:
 * its access policy's 401/403, a body's (or any write route's: the body parser runs) 400/413/415, a path parameter's 400/404, 500, and the 503
 * (with Retry-After) of a dependency outage, unless the route documents its own 503 (health).
 */
function completeErrors(document: OpenAPIObject, policies: Map<string, AccessPolicy>): void {
  document.components = document.components ?? {};
  document.components.schemas = {
    ...(document.components.schemas ?? {}),
    ErrorBody: ERROR_BODY_SCHEMA as Json,
  };
  for (const item of Object.values(document.paths) as Json[]) {
    for (const [method, op] of Object.entries(item) as [string, Json][]) {
      if (!op || typeof op !== 'object' || !('responses' in op)) continue;
      const responses = op.responses as Record<string, Json>;
      const add = (status: string, line: string): void => {
        const existing = responses[status];
        if (!existing)
          responses[status] = {
            description: line,
            content: { 'application/json': { schema: ERROR_BODY_REF } },
          };
        else if (!String(existing.description ?? '').includes(line.split(':')[0]))
          existing.description = [existing.description, line].filter(Boolean).join('; ');
      };
      const policy = policies.get(String(op.operationId));
      if (policy && policy.kind !== 'public') {
        add('401', GENERIC['401']);
        op.security = op.security ?? [{ bearer: [] }];
      }
      if (policy?.kind === 'staff') add('403', GENERIC['403']);
      const params = (op.parameters ?? []) as Json[];
      if (op.requestBody || params.some((p) => p.in === 'query')) add('400', GENERIC['400']);
      // The JSON body parser runs before every write route (apps/api/src/http/body-parsing.ts),
      // so each answers its refusals whether or not the route reads a body.
      if (op.requestBody || WRITE_METHODS.has(method)) {
        add('400', GENERIC['400']);
        add('400', GENERIC['400parse']);
        add('400', GENERIC['400body']);
        add('413', GENERIC['413']);
        add('415', GENERIC['415']);
      }
      if (params.some((p) => p.in === 'path')) {
        add('400', GENERIC['400']);
        add('404', GENERIC['404']);
      }
      add('500', GENERIC['500']);
      if (!responses['503']) responses['503'] = structuredClone(UNAVAILABLE);
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) >= 400 && !response.content)
          response.content = { 'application/json': { schema: ERROR_BODY_REF } };
      }
    }
  }
}

/** Adds the response schemas and precise property types of openapi-schemas.ts. */
function completeSchemas(document: OpenAPIObject): void {
  const schemas = (document.components ??= {}).schemas ?? {};
  document.components.schemas = { ...schemas, ...(NAMED_SCHEMAS as typeof schemas) };
  for (const [name, properties] of Object.entries(PROPERTY_TYPES)) {
    const target = document.components.schemas[name] as Json | undefined;
    const props = target?.properties as Record<string, Json> | undefined;
    if (!props) continue;
    for (const [prop, schema] of Object.entries(properties))
      if (props[prop])
        props[prop] = {
          ...schema,
          ...(props[prop].description ? { description: props[prop].description } : {}),
        };
  }
  for (const item of Object.values(document.paths) as Json[]) {
    for (const op of Object.values(item) as Json[]) {
      const wanted = op && typeof op === 'object' ? RESPONSES[String(op.operationId)] : undefined;
      if (!wanted) continue;
      const responses = op.responses as Record<string, Json>;
      for (const [status, { description, schema, examples, headers }] of Object.entries(wanted)) {
        if (responses[status]?.content) continue; // the controller's own decorator wins
        responses[status] = {
          description,
          ...(headers ? { headers } : {}),
          content: { 'application/json': { schema, ...(examples ? { examples } : {}) } },
        };
      }
    }
  }
}

/** The API's OpenAPI document, built from the controllers and DTOs of an app (running or preview). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Panah API')
      .setDescription(
        'End-to-end encrypted threat reporting and escalation. Wire formats: docs/spec/crypto-v1.md. ' +
          'Every error answers an ErrorBody: `code` is the stable category, `reason` the specific cause, `fields[].path` names each offending input.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  completeSchemas(document);
  completeErrors(document, accessPolicies(app));
  return document;
}

/** The committed file's exact text: two-space JSON and a final newline, so diffs stay readable. */
export function serializeOpenApiDocument(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * Builds the document without connecting anywhere: the app is created in Nest's preview mode,
 * which reads modules, controllers and their metadata but instantiates no provider (so no
 * database, Redis or secrets are needed).
 */
export async function generateOpenApiDocument(): Promise<OpenAPIObject> {
  return withPreviewApp(buildOpenApiDocument);
}

/** Runs `use` over the API app in Nest's preview mode (see generateOpenApiDocument), then closes it. */
export async function withPreviewApp<T>(use: (app: INestApplication) => T): Promise<T> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DEPLOYMENT_ID: 'openapi',
    DATA_KEYS: `k:${'A'.repeat(43)}`,
    DATA_KEY_ID: 'k',
    TOKEN_KEY: 'A'.repeat(43),
    LOG_LEVEL: 'silent',
  });
  const app = await NestFactory.create(ApiModule.forRoot(config), {
    preview: true,
    abortOnError: false,
    logger: false,
  });
  setApiPrefix(app);
  try {
    return use(app);
  } finally {
    await app.close();
  }
}
