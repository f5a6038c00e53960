import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migrate } from '@panah/db';

export const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own, so test runs never see each other's data. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `panah_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  if (options.migrate !== false) await migrate({ url: url.toString() });
  return {
    name,
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** A plain pg client on a test database, for assertions that look at rows directly. */
export async function sql(url: string): Promise<Client & { close(): Promise<void> }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return Object.assign(client, { close: () => client.end() });
}

/** One query on its own connection: the rows, for assertions. */
export async function rowsOf<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = await sql(url);
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.close();
  }
}
