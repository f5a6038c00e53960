/**
 * Jest setup for the e2e tests: a request on a kept-alive connection that the API closed a moment
 * earlier fails with ECONNRESET ("other side closed") before the API ever saw it. Node's fetch keeps
 * idle connections 1 s less than the server's Keep-Alive hint, which a busy 2-core machine can
 * overrun (a late timer in the test process), so the tests' own calls retry such a failure once on
 * a fresh connection. The CLI does the same for its calls. Anything else (a refused connection, an
 * answer, a streamed body) is passed through unchanged.
 */
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

function isStaleConnection(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } } | null)?.cause;
  // By name, not `instanceof TypeError`: fetch's errors come from Node's own realm, not from the
  // test's (Jest runs each file in a vm context with its own TypeError), so instanceof is false.
  return (
    (error as Error | null)?.name === 'TypeError' && typeof cause?.code === 'string' && RESET.has(cause.code)
  );
}

const original = globalThis.fetch;
globalThis.fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  try {
    return await original(input, init);
  } catch (error) {
    const streamed = input instanceof Request || init?.body instanceof ReadableStream;
    if (streamed || init?.signal?.aborted || !isStaleConnection(error)) throw error;
    return original(input, init);
  }
};
