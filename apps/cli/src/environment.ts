/**
 * Every environment variable the CLI reads, as `panah --help` lists them (and README.md). A unit
 * test fails when the CLI's source names a PANAH_ variable missing here. Secrets are read from
 * these or a terminal prompt, never from arguments.
 */
export const CLI_ENVIRONMENT: readonly (readonly [string, string])[] = [
  ['PANAH_ENV_FILE', 'settings file read under the environment (default .env; written by `panah setup`)'],
  ['PANAH_API_URL', 'API base URL for the staff client commands (default PUBLIC_URL)'],
  ['PANAH_SESSION_FILE', 'where `staff login` keeps the session (default ~/.panah/session.json, mode 0600)'],
  ['PANAH_SESSION_TOKEN', 'a staff session token to use instead of the session file'],
  ['PANAH_INVITATION_TOKEN', 'secret: the invitation or setup token `staff register` redeems'],
  ['PANAH_STAFF_PASSWORD', 'secret: the staff password (register, login, keys staff new)'],
  [
    'PANAH_TOTP_SECRET',
    'secret: the TOTP secret `staff register` enrols (required without a terminal; `staff totp-secret` makes one)',
  ],
  ['PANAH_TOTP_CODE', 'secret: the current 6-digit code of the authenticator app (register, login)'],
  ['PANAH_RECOVERY_CODE', 'secret: a recovery code for `staff login --recovery`'],
  ['PANAH_ROOT_PASSPHRASE', 'secret: the root key passphrase (setup, keys root init, keys directory sign)'],
  [
    'PANAH_SETUP_CASEWORKER_KEYS',
    '`setup`: intake caseworker X25519 public keys, pk[:label], comma-separated',
  ],
  ['PANAH_SETUP_RECOVERY_KEY', '`setup`: the offline recovery X25519 public key, pk[:label]'],
  [
    'DATABASE_URL, REDIS_URL, …',
    'the server settings (README "Configuration") for setup, doctor, db, admin and audit',
  ],
];

export function environmentHelp(): string {
  const width = Math.max(...CLI_ENVIRONMENT.map(([name]) => name.length));
  return `\nEnvironment (also read from .env):\n${CLI_ENVIRONMENT.map(([name, text]) => `  ${name.padEnd(width)}  ${text}`).join('\n')}\n`;
}
