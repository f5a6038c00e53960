import { createApiClient, isApiErrorBody, type paths } from '@panah/api-client';

/**
 * The one place the console talks to the API. Every call goes through `call`, and so through
 * @panah/api-client, the typed client generated from the committed OpenAPI file (a route the
 * document lacks does not compile): the bearer token is added here, answers are never cached, and failures become an ApiError the
 * screens explain (network, expired session, refusal with field paths).
 */
export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: readonly FieldProblem[] = [],
    readonly reason?: string,
    /** The whole error answer, for the few refusals a client acts on (a sign-in's proof of work). */
    readonly body: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
  get network(): boolean {
    return this.status === 0;
  }
  fieldError(path: string): string | undefined {
    return this.fields.find((f) => f.path === path)?.message;
  }
}

/** Routes of the committed OpenAPI document (docs/openapi.json), checked at compile time. */
export type ApiPath = keyof paths;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Operation<P extends ApiPath, M extends Method> = NonNullable<paths[P][Lowercase<M> & keyof paths[P]]>;
/** The JSON body the document declares for a route: `ApiBody<'/v1/cases/{id}/assign', 'POST'>`. */
export type ApiBody<P extends ApiPath, M extends Method> =
  Operation<P, M> extends { requestBody: { content: { 'application/json': infer B } } } ? B : never;
/** The JSON answer (200 or 201) the document declares for a route. */
export type ApiAnswer<P extends ApiPath, M extends Method> =
  Operation<P, M> extends { responses: { 200: { content: { 'application/json': infer A } } } }
    ? A
    : Operation<P, M> extends { responses: { 201: { content: { 'application/json': infer A } } } }
      ? A
      : never;

export interface CallOptions {
  readonly path?: Record<string, string>;
  readonly body?: unknown;
  readonly query?: Record<string, string | number | undefined>;
  /** null: send no token (sign-in); a string: this token; absent: the session's. */
  readonly token?: string | null;
}

type Hooks = { token: () => string | null; onUnauthorized: () => void; onActivity: () => void };
let hooks: Hooks = { token: () => null, onUnauthorized: () => undefined, onActivity: () => undefined };

export function setApiHooks(next: Hooks): void {
  hooks = next;
}

/** The typed client (openapi-fetch over the committed document); same origin, never cached. */
const client = createApiClient({
  baseUrl: location.origin,
  fetch: (request) =>
    fetch(request, { cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' }),
});
type RawRequest = (
  method: string,
  url: string,
  init: Record<string, unknown>,
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
const request = client.request as unknown as RawRequest;

async function send(
  method: Method,
  template: ApiPath,
  options: CallOptions,
): Promise<{ data: unknown; response: Response }> {
  const token = options.token === undefined ? hooks.token() : options.token;
  const query: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined && v !== '') query[k] = v;
  let result: Awaited<ReturnType<RawRequest>>;
  try {
    result = await request(method.toLowerCase(), template, {
      params: { path: options.path ?? {}, query },
      body: options.body,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      parseAs: 'text',
    });
  } catch {
    throw new ApiError(0, 'network', 'network');
  }
  const { response } = result;
  if (response.status === 401 && token) hooks.onUnauthorized();
  if (!response.ok) {
    const body = (isApiErrorBody(result.error) ? result.error : {}) as {
      code?: string;
      message?: string;
      fields?: FieldProblem[];
      reason?: string;
    };
    throw new ApiError(
      response.status,
      body.code ?? `http_${response.status}`,
      body.message ?? response.statusText,
      body.fields ?? [],
      body.reason,
      body as Record<string, unknown>,
    );
  }
  if (token) hooks.onActivity();
  return { data: result.data, response };
}

/** A JSON call through the typed client: `call('GET', '/v1/cases/{id}', { path: { id } })`. */
export async function call<T>(method: Method, template: ApiPath, options: CallOptions = {}): Promise<T> {
  const { data, response } = await send(method, template, options);
  if (response.status === 204 || typeof data !== 'string' || data === '') return undefined as T;
  return JSON.parse(data) as T;
}

/**
 * A call whose body and answer are the document's types (a body the OpenAPI document does not
 * describe does not compile): `typedCall('POST', '/v1/cases/{id}/assign', { path: { id }, body })`.
 */
export function typedCall<P extends ApiPath, M extends Method>(
  method: M,
  template: P,
  options: Omit<CallOptions, 'body'> & { readonly body: ApiBody<P, M> },
): Promise<ApiAnswer<P, M>> {
  return call<ApiAnswer<P, M>>(method, template, options);
}

/** A binary answer (attachment blobs) as a stream, so large files are never held twice. */
export async function callStream(
  template: ApiPath,
  path: Record<string, string>,
): Promise<ReadableStream<Uint8Array>> {
  const token = hooks.token();
  let result: Awaited<ReturnType<RawRequest>>;
  try {
    result = await request('get', template, {
      params: { path },
      headers: token ? { authorization: `Bearer ${token}` } : {},
      parseAs: 'stream',
    });
  } catch {
    throw new ApiError(0, 'network', 'network');
  }
  if (result.response.status === 401) hooks.onUnauthorized();
  if (!result.response.ok || !result.data) {
    const body = (isApiErrorBody(result.error) ? result.error : {}) as {
      code?: string;
      message?: string;
      reason?: string;
    };
    throw new ApiError(
      result.response.status,
      body.code ?? `http_${result.response.status}`,
      body.message ?? '',
      [],
      body.reason,
    );
  }
  hooks.onActivity();
  return result.data as ReadableStream<Uint8Array>;
}
