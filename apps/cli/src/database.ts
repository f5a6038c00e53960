import { DataSource } from 'typeorm';
import type { PanahConfig } from '@panah/config';
import { createDataSource } from '@panah/db';
import { CliError } from './io';

/**
 * Runs `work` on a short-lived connection to DATABASE_URL, closing it afterwards; an unreachable
 * database becomes one clear line instead of a driver stack trace.
 */
export async function withDatabase<T>(config: PanahConfig, work: (ds: DataSource) => Promise<T>): Promise<T> {
  const ds = createDataSource({ url: config.db.url, poolSize: 2, applicationName: 'panah-cli' });
  try {
    await ds.initialize();
  } catch {
    throw new CliError(`PostgreSQL is not reachable at ${new URL(config.db.url).host} (set DATABASE_URL)`);
  }
  try {
    return await work(ds);
  } finally {
    await ds.destroy();
  }
}
