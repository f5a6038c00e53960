import { DataSource, DataSourceOptions } from 'typeorm';
import { entities } from './entities';
import { migrations } from './migrations';
import { SnakeNamingStrategy } from './naming.strategy';
import { ensureDatabase } from './server.repository';

export interface DbSettings {
  readonly url: string;
  readonly poolSize?: number;
  readonly applicationName?: string;
}

export function dataSourceOptions(settings: DbSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    entities,
    migrations,
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false, // migrations only, always
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    logging: false, // queries may carry ciphertext and hints; never log them
    applicationName: settings.applicationName ?? 'panah',
    extra: {
      max: settings.poolSize ?? 10,
      connectionTimeoutMillis: 5_000,
      // Keep idle connections for minutes, not pg's default 10 s: a new backend is a fork with cold
      // catalog caches and re-prepared statements, which showed up as latency spikes after every
      // lull (bench/intake).
      idleTimeoutMillis: 300_000,
      // An idle connection silently dropped by a firewall or NAT must fail fast, not hang a query.
      keepAlive: true,
      keepAliveInitialDelayMillis: 30_000,
      // A statement that hangs must not wedge a request or a job forever.
      statement_timeout: 30_000,
      idle_in_transaction_session_timeout: 60_000,
    },
  };
}

export function createDataSource(settings: DbSettings): DataSource {
  return new DataSource(dataSourceOptions(settings));
}

/** Creates the database if needed and applies pending migrations; returns their names. */
export async function migrate(settings: DbSettings): Promise<string[]> {
  await ensureDatabase(settings.url);
  const ds = createDataSource({ ...settings, poolSize: 2, applicationName: 'panah-migrate' });
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}

/** SQL TypeORM would run to make the schema match the entities: empty when there is no drift. */
export async function pendingSchemaChanges(ds: DataSource): Promise<string[]> {
  const sql = await ds.driver.createSchemaBuilder().log();
  return sql.upQueries.map((q) => q.query);
}
