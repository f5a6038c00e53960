import { Client } from 'pg';

/**
 * Statements against the PostgreSQL server itself rather than any table (the `postgres`
 * maintenance database): the connectivity probe and creating the deployment's database before
 * migrations. No table is named here, so no library owns them.
 */

function maintenanceUrl(url: string): string {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  return admin.toString();
}

/** Connects to the server named in `url` and runs `SELECT 1`; throws when it is unreachable. */
export async function pingServer(url: string, timeoutMs = 3_000): Promise<void> {
  const client = new Client({ connectionString: maintenanceUrl(url), connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates the database named in `url` if it does not exist (connecting to `postgres`). */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(name)) throw new Error(`DATABASE_URL: unsupported database name`);
  const client = new Client({ connectionString: maintenanceUrl(url), connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } catch (error) {
      // Two processes racing to create it: the other one won.
      if ((error as { code?: string }).code !== '42P04') throw error;
      return false;
    }
    return true;
  } finally {
    await client.end();
  }
}
