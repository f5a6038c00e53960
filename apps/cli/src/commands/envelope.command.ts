import { Command } from 'commander';
import {
  cryptoReady,
  fromB64uExact,
  fromUtf8,
  openEnvelope,
  openStaffKeyFile,
  parseEnvelope,
  verifyAuthor,
} from '@panah/crypto';
import { CliIo } from '../io';
import { readJsonFile, STAFF_PASSWORD_ENV } from './keys.command';

export function registerEnvelopeCommands(program: Command, io: CliIo): void {
  const envelope = program
    .command('envelope')
    .description('end-to-end encrypted envelopes (reports, messages, notes, check-ins)');
  envelope
    .command('open')
    .description(
      `decrypt an envelope with a staff key file (password from ${STAFF_PASSWORD_ENV} or a prompt) and print the plaintext`,
    )
    .argument('<envelope>', 'envelope JSON file')
    .requiredOption('--staff-secret <file>', 'staff key file from `keys staff new`')
    .option('--author-pk <b64u>', "the author's Ed25519 public key: verify the signature before decrypting")
    .action(async (file: string, opts: { staffSecret: string; authorPk?: string }) => {
      await cryptoReady();
      const env = parseEnvelope(await readJsonFile(file, 'envelope'));
      if (opts.authorPk !== undefined) verifyAuthor(env, fromB64uExact(opts.authorPk, 32, '--author-pk'));
      else io.err('warning: author signature NOT verified (pass --author-pk to check who wrote this)');
      const staffFile = await readJsonFile(opts.staffSecret, 'staff key file');
      const keys = openStaffKeyFile(staffFile, await io.readSecret('Staff password', STAFF_PASSWORD_ENV));
      try {
        const plaintext = openEnvelope(env, keys.boxKeyPair);
        io.out(fromUtf8(plaintext, 'plaintext'));
        plaintext.fill(0);
      } finally {
        keys.boxKeyPair.privateKey.fill(0);
        keys.signKeyPair.privateKey.fill(0);
      }
    });
}
