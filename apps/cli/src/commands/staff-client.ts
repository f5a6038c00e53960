import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
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

/** One JSON call to the API; a non-2xx answer becomes a CliError with the server's code and message. */
export async function callApi<T>(
  base: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string } = {},
): Promise<T> {
  const send = () =>
    fetch(`${base}/v1${path}`, {
      method,
      // A fresh connection per call: the CLI's calls are few and far apart (Argon2id, proof of work
      // run in between), and a reused keep-alive socket the server closed meanwhile fails the call.
      headers: {
        connection: 'close',
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    });
  let res: Response;
  try {
    res = await send().catch((error: unknown) => {
      // A kept-alive connection the server (or a proxy) closed while this process was busy (an
      // Argon2id derivation holds it for seconds): the request was not taken, so send it once more
      // (were it taken after all, a sign-in's reused TOTP code is refused, never applied twice).
      const code = (error as { cause?: { code?: string } }).cause?.code;
      if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') return send();
      throw error;
    });
  } catch {
    throw new CliError(`cannot reach the Panah API at ${base} (set --api or PANAH_API_URL)`);
  }
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const e = (json ?? {}) as {
      code?: string;
      reason?: string;
      message?: string;
      fields?: { path: string; message: string }[];
    };
    const fields = e.fields?.map((f) => ` ${f.path}: ${f.message}`).join(';') ?? '';
    throw new ApiRefusal(
      `${res.status} ${e.reason ?? e.code ?? ''} ${e.message ?? ''}${fields}`.replace(/\s+/g, ' ').trim(),
      res.status,
      (json ?? {}) as Record<string, unknown>,
    );
  }
  return json as T;
}
