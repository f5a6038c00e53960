import { Command } from 'commander';
import { cryptoReady, deriveReporterKeys, formatAccessCode, generateAccessCode, toB64u } from '@panah/crypto';
import { CliIo } from '../io';

export function registerReporterCommands(program: Command, io: CliIo): void {
  const reporter = program.command('reporter').description('reporter identities (access codes)');
  reporter
    .command('code')
    .description('reporter access codes')
    .command('new')
    .description('generate a fresh 20-digit access code and show the identity it derives')
    .requiredOption('--deployment <id>', 'deploymentId served by GET /v1/meta (part of the key derivation)')
    .action(async (opts: { deployment: string }) => {
      await cryptoReady();
      const code = generateAccessCode();
      const keys = deriveReporterKeys(code, opts.deployment);
      keys.boxKeyPair.privateKey.fill(0);
      keys.signKeyPair.privateKey.fill(0);
      io.out(`access code: ${formatAccessCode(code)}`);
      io.out(`reporter id: ${keys.reporterId}`);
      io.out(`box public key: ${toB64u(keys.boxKeyPair.publicKey)}`);
      io.out(`sign public key: ${toB64u(keys.signKeyPair.publicKey)}`);
      io.err(
        'The access code is the only way back into this identity: hand it over privately, never store it.',
      );
    });
}
