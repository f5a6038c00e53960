import { randomUUID } from 'node:crypto';
import { Command } from 'commander';
import {
  cryptoReady,
  deriveStaffKeys,
  enrolStaffKeys,
  fromB64u,
  generateStaffKdfSalt,
  solveProofOfWork,
  staffRegistrationBody,
  toB64u,
} from '@panah/crypto';
import { LOGIN_PATTERN, TOTP_SECRET_PATTERN } from '@panah/domain';
import { newTotpSecret, totpUri } from '@panah/identity';
import { CliError, CliIo } from '../io';
import {
  answer,
  apiBase,
  apiClient,
  ApiRefusal,
  loadSession,
  saveSession,
  sessionFilePath,
} from './staff-client';

const MIN_PASSWORD = 12;

/** The challenge of a 401 `login/pow_required` answer, or null for any other refusal. */
function powChallengeOf(refusal: ApiRefusal): { challenge: string; difficulty: number } | null {
  const pow = refusal.body.pow as { challenge?: unknown; difficulty?: unknown } | undefined;
  if (refusal.status !== 401 || refusal.body.reason !== 'login/pow_required' || !pow) return null;
  if (typeof pow.challenge !== 'string' || typeof pow.difficulty !== 'number') return null;
  if (!Number.isInteger(pow.difficulty) || pow.difficulty < 0 || pow.difficulty > 32) return null;
  return { challenge: pow.challenge, difficulty: pow.difficulty };
}

function checkLogin(login: string): string {
  const normalised = login.toLowerCase();
  if (!LOGIN_PATTERN.test(normalised))
    throw new CliError('--login must be 3-32 lowercase letters, digits, . _ -');
  return normalised;
}

async function password(io: CliIo): Promise<string> {
  const pw = await io.readSecret('Password', 'PANAH_STAFF_PASSWORD');
  if (pw.length < MIN_PASSWORD)
    throw new CliError(`the password must have at least ${MIN_PASSWORD} characters`);
  return pw;
}

/**
 * The staff client (crypto-v1 §4): the password stays here; only authKey, public keys and the
 * encKey-protected secret keys go to the server. Secrets come from environment variables or a
 * hidden prompt, never from arguments.
 */
export function registerStaffCommands(program: Command, io: CliIo): void {
  const staff = program
    .command('staff')
    .description('staff client: register with an invitation, sign in, show who you are');

  staff
    .command('totp-secret')
    .description(
      'print a fresh TOTP secret and its otpauth URI, for registering without a terminal (PANAH_TOTP_SECRET)',
    )
    .option('--login <name>', 'the login name the authenticator app shows', 'panah')
    .action((opts: { login: string }) => {
      const secret = newTotpSecret();
      io.out(secret);
      io.err(`otpauth URI for the authenticator app: ${totpUri(opts.login, secret)}`);
    });

  staff
    .command('register')
    .description(
      'register with an invitation or setup token (PANAH_INVITATION_TOKEN), enrol TOTP, print recovery codes once',
    )
    .requiredOption('--login <name>', 'the login name you will sign in with')
    .option('--api <url>', 'API base URL (default PANAH_API_URL)')
    .action(async (opts: { login: string; api?: string }) => {
      const login = checkLogin(opts.login);
      const base = apiBase(io, opts.api);
      const invitationToken = await io.readSecret('Invitation token', 'PANAH_INVITATION_TOKEN');
      const pw = await password(io);
      await cryptoReady();
      const staffId = randomUUID();
      const kdfSalt = generateStaffKdfSalt();
      const { authKey, encKey } = deriveStaffKeys(pw, kdfSalt);
      const keys = enrolStaffKeys(staffId, encKey);
      if (!io.env.PANAH_TOTP_SECRET && !io.ask) {
        // Without a terminal nobody can scan a secret printed now and type its code back, so
        // say how to do it in two steps instead of printing a secret and failing.
        throw new CliError(
          [
            'no terminal to enrol TOTP in. Without one, choose the TOTP secret first and pass it with a current code:',
            '  1. PANAH_TOTP_SECRET=<32 base32 characters> (e.g. from `npx panah staff totp-secret`); add it to your authenticator app',
            '  2. run again with PANAH_TOTP_SECRET, PANAH_TOTP_CODE (the code the app shows now), PANAH_STAFF_PASSWORD and PANAH_INVITATION_TOKEN set',
          ].join('\n'),
        );
      }
      const totpSecret = io.env.PANAH_TOTP_SECRET ?? newTotpSecret();
      if (!TOTP_SECRET_PATTERN.test(totpSecret))
        throw new CliError('PANAH_TOTP_SECRET must be 32 base32 characters');
      io.out('Add this account to your authenticator app (scan the URI as a QR code, or type the secret):');
      io.out(`  ${totpUri(login, totpSecret)}`);
      io.out(`  secret: ${totpSecret}`);
      const totpCode = await io.readSecret('Current 6-digit code from the app', 'PANAH_TOTP_CODE');
      const result = await answer(
        apiClient(base).POST('/v1/staff/register', {
          body: {
            ...staffRegistrationBody({ invitationToken, staffId, login, kdfSalt, authKey, keys, totpSecret }),
            totpCode,
          },
        }),
      );
      authKey.fill(0);
      io.out(`registered ${login} (${result.role}), staff id ${result.staffId}, status ${result.status}`);
      if (result.status === 'pending_vetting')
        io.out('You can sign in once an admin other than the one who invited you has approved the account.');
      io.out(
        'Recovery codes (each works once instead of a TOTP code; keep them offline, they are not shown again):',
      );
      for (const code of result.recoveryCodes) io.out(`  ${code}`);
    });

  staff
    .command('login')
    .description('sign in (PANAH_STAFF_PASSWORD, PANAH_TOTP_CODE) and keep the session in an owner-only file')
    .requiredOption('--login <name>', 'your login name')
    .option('--api <url>', 'API base URL (default PANAH_API_URL)')
    .option(
      '--session-file <path>',
      'where to keep the session (default PANAH_SESSION_FILE or ~/.panah/session.json)',
    )
    .option('--recovery', 'use a recovery code (PANAH_RECOVERY_CODE) instead of a TOTP code')
    .action(async (opts: { login: string; api?: string; sessionFile?: string; recovery?: boolean }) => {
      const login = checkLogin(opts.login);
      const base = apiBase(io, opts.api);
      const pw = await password(io);
      const api = apiClient(base);
      const pre = await answer(api.POST('/v1/staff/prelogin', { body: { login } }));
      await cryptoReady();
      const { authKey, encKey } = deriveStaffKeys(pw, fromB64u(pre.kdfSalt, 'kdfSalt'));
      encKey.fill(0);
      const second = opts.recovery
        ? { recoveryCode: await io.readSecret('Recovery code', 'PANAH_RECOVERY_CODE') }
        : { totpCode: await io.readSecret('Current 6-digit code from the app', 'PANAH_TOTP_CODE') };
      type Answer = { token: string; staffId: string; role: string; expiresAt: string };
      const body = { login, authKey: toB64u(authKey), ...second };
      authKey.fill(0);
      let result: Answer | null = null;
      let pow: { challenge: string; nonce: string } | undefined;
      // Many recent attempts for this login (perhaps someone else's): the server asks for a proof
      // of work instead of refusing; solve it and send the same sign-in again (a few times at most).
      for (let round = 0; !result; round++) {
        try {
          result = await answer(api.POST('/v1/staff/login', { body: { ...body, pow } }));
        } catch (error) {
          const asked = error instanceof ApiRefusal && round < 3 ? powChallengeOf(error) : null;
          if (!asked) throw error;
          io.err(
            `the server asks for a proof of work (${asked.difficulty} bits) before this sign-in; solving…`,
          );
          const nonce = solveProofOfWork(fromB64u(asked.challenge, 'pow.challenge'), asked.difficulty);
          pow = { challenge: asked.challenge, nonce: toB64u(nonce) };
        }
      }
      const file = sessionFilePath(io, opts.sessionFile);
      saveSession(file, {
        api: base,
        staffId: result.staffId,
        token: result.token,
        expiresAt: result.expiresAt,
      });
      io.out(
        `signed in as ${login} (${result.role}); session saved to ${file} (idle timeout 30 min, at most 12 h)`,
      );
    });

  staff
    .command('whoami')
    .description('show the signed-in account (session from PANAH_SESSION_TOKEN or the session file)')
    .option('--api <url>', 'API base URL (default: the one you signed in to)')
    .option('--session-file <path>', 'session file (default PANAH_SESSION_FILE or ~/.panah/session.json)')
    .action(async (opts: { api?: string; sessionFile?: string }) => {
      const saved = loadSession(sessionFilePath(io, opts.sessionFile));
      const token = io.env.PANAH_SESSION_TOKEN ?? saved?.token;
      if (!token) throw new CliError('not signed in: run `panah staff login` or set PANAH_SESSION_TOKEN');
      const base = apiBase(io, opts.api ?? saved?.api);
      const me = await answer(apiClient(base, token).GET('/v1/staff/me'));
      io.out(`${me.login} (${me.role}, ${me.status}), staff id ${me.staffId}`);
      io.out(`teams: ${me.teams.length ? me.teams.map((t) => t.name).join(', ') : '(none)'}`);
    });
}
