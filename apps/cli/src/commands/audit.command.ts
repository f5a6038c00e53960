import { Command } from 'commander';
import { verifyAuditLog } from '@panah/audit';
import { loadConfig } from '@panah/config';
import { withDatabase } from '../database';
import { CliError, CliIo } from '../io';

/** `panah audit verify`: recomputes the hash chain from DATABASE_URL and names the first broken link. */
export function registerAuditCommands(program: Command, io: CliIo): void {
  const audit = program.command('audit').description('the tamper-evident audit log');

  audit
    .command('verify')
    .description(
      'recompute the audit hash chain; exit code 2 and the first broken entry if it was tampered with',
    )
    .action(async () => {
      const config = loadConfig(io.env);
      await withDatabase(config, async (ds) => {
        const result = await verifyAuditLog(ds);
        if (result.ok) {
          io.out(`audit log intact: ${result.entries} entries, head ${result.headHash}`);
          io.out(
            'Record the head hash somewhere outside this database to detect a rewrite of the whole log later.',
          );
          return;
        }
        throw new CliError(
          `audit log BROKEN at entry ${result.broken.seq}: ${result.broken.problem.replace(/_/g, ' ')} (${result.entries} entries before it verified)`,
          2,
        );
      });
    });
}
