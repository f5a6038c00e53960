import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { type ApiClient, createApiClient } from '@panah/api-client';
import { CliError, CliIo } from '../io';

/** Where `panah staff login` keeps the session: owner-only, like an SSH key. */
export function sessionFilePath(io: CliIo, given?: string): string {
  return given ?? io.env.PANAH_SESSION_FILE ?? join(homedir(), '.panah', 'session.json');
}

export interface SavedSession {
  readonly api: string;
  readonly staffId: string;
  readonly token: string;
  readonly expiresAt: string;
}

export function saveSession(path: string, session: SavedSession): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify(session, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600); // writeFileSync keeps the mode of a file that already existed
}

export function loadSession(path: string): SavedSession | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<SavedSession>;
    return typeof parsed.token === 'string' && typeof parsed.api === 'string'
      ? (parsed as SavedSession)
      : null;
  } catch {
    return null;
  }
}

export function apiBase(io: CliIo, given?: string): string {
  return (given ?? io.env.PANAH_API_URL ?? io.env.PUBLIC_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
}

/** A refusal from the API: a CliError carrying the answer, for callers that can act on it. */
export class ApiRefusal extends CliError {
  constructor(
    message: string,
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** The errors a kept-alive socket the server (or a proxy) closed meanwhile fails a request with. */
const RESET_CODES = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE']);

/**
 * The fetch under the CLI's typed client. A fresh connection per call (`connection: close`): the
 * CLI's calls are few and far apart (Argon2id, proof of work run in between), and a reused
 * keep-alive socket the server closed meanwhile fails the call. Should one still be reset, the
 * request was not taken, so it is sent once more (were it taken after all, a sign-in's reused TOTP
 * code is refused, never applied twice). No answer at all is the "cannot reach" CliError.
 */
function closingFetch(base: string): (request: Request) => Promise<Response> {
  return async (request) => {
    const headers = new Headers(request.headers);
    headers.set('connection', 'close');
    // Read once, so the same bytes can be sent again (a Request's body stream can be read only once).
    const body = request.body ? await request.arrayBuffer() : undefined;
    const send = () =>
      fetch(request.url, { method: request.method, headers, body, redirect: request.redirect });
    try {
      return await send().catch((error: unknown) => {
        const code = (error as { cause?: { code?: string } }).cause?.code;
        if (code && RESET_CODES.has(code)) return send();
        throw error;
      });
    } catch {
      throw new CliError(`cannot reach the Panah API at ${base} (set --api or PANAH_API_URL)`);
    }
  };
}

/**
 * The typed client of the API at `base` (@panah/api-client, generated from docs/openapi.json): a
 * path, method, parameter or body the document does not have is a compile error here, not a 404
 * for the user. Pass its answers through `answer()`.
 */
export function apiClient(base: string, token?: string): ApiClient {
  return createApiClient({ baseUrl: base, token, fetch: closingFetch(base) });
}

/**
 * The data of a typed call's answer; a non-2xx answer becomes an ApiRefusal whose message is the
 * status, the server's reason (or code), its message and each offending field.
 */
export async function answer<D>(
  pending: Promise<{ data?: D; error?: unknown; response: Response }>,
): Promise<D> {
  const { data, error, response } = await pending;
  if (!response.ok) {
    const body = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
    const e = body as {
      code?: string;
      reason?: string;
      message?: string;
      fields?: { path: string; message: string }[];
    };
    const fields = e.fields?.map((f) => ` ${f.path}: ${f.message}`).join(';') ?? '';
    throw new ApiRefusal(
      `${response.status} ${e.reason ?? e.code ?? ''} ${e.message ?? ''}${fields}`
        .replace(/\s+/g, ' ')
        .trim(),
      response.status,
      body,
    );
  }
  return data as D;
}
