import { createHash } from 'node:crypto';

/**
 * A hot-path statement that PostgreSQL parses and plans once per connection instead of on every
 * call: a node-postgres named prepared statement. TypeORM's `query()` hands its first argument to
 * node-postgres unchanged, and node-postgres accepts a query config `{ name, text }` there; the
 * name is derived from the text, so one text is one statement on every connection. On this
 * project's 2-core machines planning was a fifth of PostgreSQL's CPU in the triage benchmark.
 *
 * Use it as `manager.query(prepared(SQL), params)` for statements run many times a second, with
 * a constant SQL text (never a text assembled from values).
 */
export function prepared(text: string): string {
  let statement = statements.get(text);
  if (!statement) {
    const name = `panah_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    // toString keeps anything that prints the "query" (TypeORM's error messages) readable.
    statement = { name, text, toString: () => text };
    statements.set(text, statement);
  }
  return statement as unknown as string;
}

interface NamedQuery {
  readonly name: string;
  readonly text: string;
  toString(): string;
}

const statements = new Map<string, NamedQuery>();
