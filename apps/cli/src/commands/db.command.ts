import { Command } from 'commander';
import { loadConfig } from '@panah/config';
import { migrate, pendingSchemaChanges } from '@panah/db';
import { withDatabase } from '../database';
import { CliError, CliIo } from '../io';

/** `panah db migrate` (create the database if missing, apply migrations) and `panah db diff`. */
export function registerDbCommands(program: Command, io: CliIo): void {
  const db = program.command('db').description('Database schema: migrations only, never synchronize');

  db.command('migrate')
    .description('Create the database if it does not exist and apply pending migrations')
    .action(async () => {
      const config = loadConfig(io.env);
      let applied: string[];
      try {
        applied = await migrate({ url: config.db.url });
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT') {
          throw new CliError(
            `PostgreSQL is not reachable at ${new URL(config.db.url).host} (set DATABASE_URL, or start one with docker/compose.yml)`,
          );
        }
        throw error;
      }
      io.out(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    });

  db.command('diff')
    .description('Print the SQL a new migration needs to match the entities (empty: no drift)')
    .action(async () => {
      const config = loadConfig(io.env);
      await withDatabase(config, async (ds) => {
        const sql = await pendingSchemaChanges(ds);
        io.out(sql.length ? sql.map((q) => `${q};`).join('\n') : '-- no changes');
      });
    });
}
