/**
 * The one place the console talks to the API. Every call goes through `call` (and, once
 * @panah/api-client lands, through the typed client generated from the committed OpenAPI file):
 * the bearer token is added here, answers are never cached, and failures become an ApiError the
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

export interface CallOptions {
  readonly body?: unknown;
  readonly query?: Record<string, string | number | undefined>;
  readonly token?: string | null;
  readonly raw?: boolean;
}

type Hooks = { token: () => string | null; onUnauthorized: () => void; onActivity: () => void };
let hooks: Hooks = { token: () => null, onUnauthorized: () => undefined, onActivity: () => undefined };

export function setApiHooks(next: Hooks): void {
  hooks = next;
}

function url(path: string, query?: CallOptions['query']): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return `/v1${path}${s ? `?${s}` : ''}`;
}

async function send(method: string, path: string, options: CallOptions): Promise<Response> {
  const token = options.token === undefined ? hooks.token() : options.token;
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(url(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
  } catch {
    throw new ApiError(0, 'network', 'network');
  }
  if (res.status === 401 && token) hooks.onUnauthorized();
  if (!res.ok) {
    let body: { code?: string; message?: string; fields?: FieldProblem[]; reason?: string } = {};
    try {
      body = (await res.json()) as typeof body;
    } catch {
      // a proxy's HTML error page: the status says enough
    }
    throw new ApiError(res.status, body.code ?? `http_${res.status}`, body.message ?? res.statusText, body.fields ?? [], body.reason);
  }
  if (token) hooks.onActivity();
  return res;
}

export async function call<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
  const res = await send(method, path, options);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A binary answer (attachment blobs), as a stream so large files are never held twice. */
export async function callStream(path: string): Promise<Response> {
  return send('GET', path, {});
}
