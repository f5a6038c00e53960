import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '@panah/config';
import { DomainError } from '@panah/domain';
import { createSetupLinks } from '@panah/identity';
import { withDatabase } from '../database';
import { CliError, CliIo } from '../io';

function intIn(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`must be an integer from ${min} to ${max}`);
    return n;
  };
}

/** `panah admin bootstrap`: setup links for the founding admins, straight against DATABASE_URL. */
export function registerAdminCommands(program: Command, io: CliIo): void {
  const admin = program.command('admin').description('deployment administration that needs database access');

  admin
    .command('bootstrap')
    .description('create one-time setup links for the founding admins (refused once an active admin exists)')
    .option('--admins <n>', 'how many founding admins (four-eyes vetting needs two)', intIn(1, 5), 2)
    .option('--ttl-minutes <m>', 'how long the links stay valid', intIn(5, 24 * 60), 60)
    .action(async (opts: { admins: number; ttlMinutes: number }) => {
      const config = loadConfig(io.env);
      await withDatabase(config, async (ds) => {
        try {
          const links = await createSetupLinks(ds, config, {
            count: opts.admins,
            ttlMinutes: opts.ttlMinutes,
          });
          io.out(
            `Setup links for ${links.tokens.length} founding admin(s), single use, valid until ${links.expiresAt.toISOString()}.`,
          );
          if (links.revoked > 0) io.out(`(${links.revoked} earlier unused setup link(s) revoked.)`);
          io.out('Hand each to a different person over a trusted channel; they are not shown again:');
          links.tokens.forEach((t, i) => io.out(`  admin ${i + 1}: ${t.token}`));
          io.out('');
          io.out('Each founding admin registers on their own device (password and TOTP are set up there):');
          io.out(
            `  PANAH_INVITATION_TOKEN=<token> npx panah staff register --api ${config.publicUrl} --login <name>`,
          );
          io.out(`  (registration endpoint: POST ${config.publicUrl}/v1/staff/register)`);
          io.out('These accounts are active at once: there is no admin yet who could vet them.');
          io.out(
            'Everyone invited later waits for approval by an admin other than the one who invited them.',
          );
        } catch (error) {
          if (error instanceof DomainError) throw new CliError(error.message);
          const code =
            (error as { driverError?: { code?: string }; code?: string }).driverError?.code ??
            (error as { code?: string }).code;
          if (code === '42P01')
            throw new CliError('the database is not migrated yet: run `npx panah db migrate` first');
          throw error;
        }
      });
    });
}
