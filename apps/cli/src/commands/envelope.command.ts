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
import { staffSession, unlockStaffKeys, type Common } from './case.command';
import { readJsonFile, STAFF_PASSWORD_ENV } from './keys.command';

export function registerEnvelopeCommands(program: Command, io: CliIo): void {
  const envelope = program
    .command('envelope')
    .description('end-to-end encrypted envelopes (reports, messages, notes, check-ins)');
  envelope
    .command('open')
    .description(
      `decrypt an envelope with your staff key (password from ${STAFF_PASSWORD_ENV} or a prompt) and print the plaintext`,
    )
    .argument('<envelope>', 'envelope JSON file')
    .option(
      '--staff-secret <file>',
      "a staff key file from `keys staff new`; without it, your signed-in account's own key (GET /v1/staff/me)",
    )
    .option('--author-pk <b64u>', "the author's Ed25519 public key: verify the signature before decrypting")
    .option('--api <url>', 'API base URL (default: the one you signed in to)')
    .option('--session-file <path>', 'session file (default PANAH_SESSION_FILE or ~/.panah/session.json)')
    .action(async (file: string, opts: Common & { staffSecret?: string; authorPk?: string }) => {
      await cryptoReady();
      const env = parseEnvelope(await readJsonFile(file, 'envelope'));
      if (opts.authorPk !== undefined) verifyAuthor(env, fromB64uExact(opts.authorPk, 32, '--author-pk'));
      else io.err('warning: author signature NOT verified (pass --author-pk to check who wrote this)');
      const keys = opts.staffSecret
        ? openStaffKeyFile(
            await readJsonFile(opts.staffSecret, 'staff key file'),
            await io.readSecret('Staff password', STAFF_PASSWORD_ENV),
          )
        : await (async () => {
            const { base, token } = staffSession(io, opts);
            return (await unlockStaffKeys(io, base, token)).keys;
          })();
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
