/**
 * Whether an error means a dependency (PostgreSQL or Redis) is unreachable right now, as opposed
 * to a bug or bad data: the connection was refused, reset or timed out, the server is shutting
 * down or starting up, or the pool could not hand out a connection. Such errors say nothing about
 * the job or request that met them, so a job waits for the dependency instead of using up its
 * attempts, and the API answers 503 with Retry-After instead of 500.
 */
export function isDependencyOutage(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    if (matches(e)) return true;
    const next =
      (e as { driverError?: unknown; cause?: unknown }).driverError ?? (e as { cause?: unknown }).cause;
    if (next === e) break;
    e = next;
  }
  return false;
}

const NET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
]);
/** SQLSTATE class 08 (connection exception), 57P01-57P03 (shutdown, crash, starting up), 53300 (too many connections). */
const PG_CODES = /^(08\d{3}|57P0[123]|53300)$/;
const MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /Driver not Connected/i,
  /Connection is closed/i,
  /Stream isn't writeable/i,
  /Reached the max retries per request limit/i,
  /the database system is (shutting down|starting up|in recovery mode)/i,
  /terminating connection due to administrator command/i,
  /Redis did not finish within/i,
  /ECONNREFUSED/,
];

function matches(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && (NET_CODES.has(code) || PG_CODES.test(code))) return true;
  const name = (e as { name?: unknown }).name;
  if (name === 'MaxRetriesPerRequestError') return true;
  const message = (e as { message?: unknown }).message;
  return typeof message === 'string' && MESSAGES.some((m) => m.test(message));
}
