import { Command, InvalidArgumentError } from 'commander';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AuditLog } from '@panah/audit';
import { loadConfig, parseDotEnv } from '@panah/config';
import {
  buildDirectoryPayload,
  cryptoReady,
  fromB64uExact,
  generateRootKey,
  kid,
  openRootKey,
  protectRootKey,
  signDirectory,
  toB64u,
  type DirectoryRole,
} from '@panah/crypto';
import { migrate } from '@panah/db';
import { bootstrapState, createSetupLinks } from '@panah/identity';
import { KeyDirectoryRepository, KeyDirectoryService } from '@panah/intake';
import { withDatabase } from '../database';
import { CliError, CliIo } from '../io';
import { readJsonFile, readNewSecret, ROOT_PASSPHRASE_ENV, writeSecretFile } from './keys.command';

const DAY_MS = 86_400_000;
export const SETUP_CASEWORKER_KEYS_ENV = 'PANAH_SETUP_CASEWORKER_KEYS';
export const SETUP_RECOVERY_KEY_ENV = 'PANAH_SETUP_RECOVERY_KEY';

interface SetupOptions {
  envFile: string;
  rootKey: string;
  publicUrl?: string;
  deploymentId?: string;
  environment: string;
  caseworkerKey: string[];
  recoveryKey?: string;
  admins: number;
  validDays: number;
}

interface IntakeKey {
  readonly publicKey: Uint8Array;
  readonly role: DirectoryRole;
  readonly label: string;
}

const b64u32 = (): string => randomBytes(32).toString('base64url');

/** `<b64u X25519 public key>[:label]`, as given on the command line or in the environment. */
function parseIntakeKey(value: string, role: DirectoryRole, n: number): IntakeKey {
  const [pk, ...rest] = value.trim().split(':');
  const label = rest.join(':').trim() || `${role} ${n}`;
  try {
    return {
      publicKey: fromB64uExact(pk, 32, role === 'recovery' ? '--recovery-key' : '--caseworker-key'),
      role,
      label,
    };
  } catch {
    throw new CliError(
      `${role} key "${pk.slice(0, 8)}…" must be a 32-byte X25519 public key in base64url (43 characters)`,
    );
  }
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function intIn(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`must be an integer from ${min} to ${max}`);
    return n;
  };
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CliError(`cannot read ${path}`);
  }
}

const EXPLAIN_INTAKE = [
  'The key directory lists the public keys every report is encrypted to, signed by the root key:',
  '  caseworker keys: the X25519 box public keys of the intake caseworkers who open new reports',
  '    (each prints theirs with `panah keys staff new`, or the console shows it after registration);',
  '  recovery key: an X25519 public key whose private half is kept offline (printed, in a safe),',
  '    so reports can still be opened if every caseworker device is lost. Strongly recommended.',
  'Only public keys are asked for here; no private key leaves its owner.',
];

/**
 * `panah setup`: the first-deployment ceremony in order, each step skipped (and said so) when
 * its result exists: the root key file, the deployment's settings in `.env`, the database, the
 * first signed key directory, the founding admins' setup links. A second run changes nothing.
 */
export function registerSetupCommand(program: Command, io: CliIo): void {
  program
    .command('setup')
    .description(
      'first deployment, step by step: root key, .env, database, signed key directory, founding admins (idempotent)',
    )
    .option('--env-file <file>', 'deployment settings the API, worker, CLI and start.sh read', '.env')
    .option(
      '--root-key <file>',
      'the encrypted root key file (created once, never overwritten; keep a copy offline)',
      '.panah/root-key.json',
    )
    .option('--public-url <url>', 'the URL people reach this deployment at (PUBLIC_URL)')
    .option(
      '--deployment-id <id>',
      'names this deployment in key derivations and the directory; never changes (DEPLOYMENT_ID)',
    )
    .option(
      '--environment <env>',
      'NODE_ENV written to .env: production, or development for a local trial',
      'production',
    )
    .option(
      '--caseworker-key <pk[:label]>',
      `an intake caseworker's X25519 public key (repeatable; or ${SETUP_CASEWORKER_KEYS_ENV}, comma-separated)`,
      collect,
      [],
    )
    .option(
      '--recovery-key <pk[:label]>',
      `the offline recovery X25519 public key (or ${SETUP_RECOVERY_KEY_ENV})`,
    )
    .option('--admins <n>', 'founding admins (four-eyes vetting needs two)', intIn(1, 5), 2)
    .option('--valid-days <n>', 'days the first directory is valid', intIn(1, 3650), 365)
    .addHelpText(
      'after',
      `
Secrets are never taken from arguments: the root key passphrase comes from ${ROOT_PASSPHRASE_ENV} or a
prompt. Without a terminal every answer comes from flags or the environment; a step that lacks
its input is skipped with what to pass, and running setup again completes it.`,
    )
    .action(async (opts: SetupOptions) => runSetup(opts, io));
}

async function runSetup(opts: SetupOptions, io: CliIo): Promise<void> {
  if (!['production', 'development'].includes(opts.environment))
    throw new CliError('--environment must be production or development');
  await cryptoReady();
  let changed = 0;
  let passphrase: string | null = null;

  // 1. Root key.
  io.out(`1. Root key (${opts.rootKey})`);
  let rootPk: string;
  const existingRoot = await readText(opts.rootKey);
  if (existingRoot !== null) {
    const file = (await readJsonFile(opts.rootKey, 'root key file')) as { pk?: unknown; kid?: unknown };
    if (typeof file.pk !== 'string') throw new CliError(`${opts.rootKey} is not a Panah root key file`);
    rootPk = file.pk;
    io.out(`   exists (kid ${String(file.kid)}): kept, never overwritten`);
  } else {
    io.out('   The root key signs the key directory; clients pin its public key. Choose a long passphrase');
    io.out('   and store the file and passphrase apart, offline. Losing both means a new deployment.');
    passphrase = await readNewSecret(io, 'Root key passphrase', ROOT_PASSPHRASE_ENV);
    const pair = generateRootKey();
    try {
      await mkdir(dirname(opts.rootKey), { recursive: true });
      await writeSecretFile(opts.rootKey, protectRootKey(pair, passphrase));
      rootPk = toB64u(pair.publicKey);
      io.out(`   created (kid ${kid(pair.publicKey)}), mode 0600`);
      changed++;
    } finally {
      pair.privateKey.fill(0);
    }
  }

  // 2. Deployment settings.
  io.out(`2. Deployment settings (${opts.envFile})`);
  const envText = await readText(opts.envFile);
  const current: Record<string, string | undefined> = envText === null ? {} : parseDotEnv(envText);
  if (current.DIRECTORY_ROOT_PUBLIC_KEY && current.DIRECTORY_ROOT_PUBLIC_KEY !== rootPk) {
    throw new CliError(
      `${opts.envFile} pins DIRECTORY_ROOT_PUBLIC_KEY to another root key than ${opts.rootKey}; refusing to change either`,
    );
  }
  let publicUrl: string | undefined = current.PUBLIC_URL ?? opts.publicUrl ?? io.env.PUBLIC_URL;
  if (!publicUrl && io.ask)
    publicUrl = (await io.ask('   Public URL of this deployment [http://127.0.0.1:3000]: ')) || undefined;
  const wanted: Record<string, string> = {
    NODE_ENV: opts.environment,
    DEPLOYMENT_ID: opts.deploymentId ?? io.env.DEPLOYMENT_ID ?? `panah-${randomBytes(4).toString('hex')}`,
    PUBLIC_URL: publicUrl ?? 'http://127.0.0.1:3000',
    DATABASE_URL: io.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/panah',
    REDIS_URL: io.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    DATA_KEYS: io.env.DATA_KEYS ?? `k1:${b64u32()}`,
    DATA_KEY_ID: io.env.DATA_KEY_ID ?? (io.env.DATA_KEYS ? '' : 'k1'),
    TOKEN_KEY: io.env.TOKEN_KEY ?? b64u32(),
    DIRECTORY_ROOT_PUBLIC_KEY: rootPk,
  };
  const missing = Object.entries(wanted).filter(([k, v]) => current[k] === undefined && v !== '');
  const settings: Record<string, string | undefined> = { ...Object.fromEntries(missing), ...current };
  if (missing.length === 0) io.out('   complete: unchanged');
  else {
    const lines = missing.map(([k, v]) => `${k}=${v}`);
    const header =
      envText === null
        ? '# Panah deployment settings, written by `panah setup`. Secrets: keep this file mode 0600.\n'
        : '';
    const sep = envText && !envText.endsWith('\n') ? '\n' : '';
    await writeFile(opts.envFile, `${envText ?? ''}${sep}${header}${lines.join('\n')}\n`, { mode: 0o600 });
    io.out(
      `   wrote ${missing.map(([k]) => k).join(', ')}${envText === null ? '' : ' (existing settings kept)'}`,
    );
    changed++;
  }
  // Settings in .env win here: they are what the processes will run with.
  const config = loadConfig({ ...io.env, ...settings, NODE_ENV: settings.NODE_ENV ?? opts.environment });

  // 3. Database.
  io.out('3. Database');
  let applied: string[];
  try {
    applied = await migrate({ url: config.db.url });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT')
      throw new CliError(`PostgreSQL is not reachable at ${new URL(config.db.url).host} (set DATABASE_URL)`);
    throw error;
  }
  io.out(applied.length ? `   migrated (${applied.length} migrations)` : '   up to date: unchanged');
  if (applied.length) changed++;

  await withDatabase(config, async (ds) => {
    // 4. The first signed key directory.
    io.out('4. Key directory');
    const directories = new KeyDirectoryService(ds, config, new AuditLog(ds), new KeyDirectoryRepository());
    await directories.onModuleInit();
    const published = await directories.current();
    if (published)
      io.out(
        `   serial ${published.serial} is published: unchanged (a new one: \`panah keys directory sign\`, then PUT /v1/keys/directory)`,
      );
    else {
      for (const line of EXPLAIN_INTAKE) io.out(`   ${line}`);
      const caseworkerValues = [
        ...opts.caseworkerKey,
        ...(io.env[SETUP_CASEWORKER_KEYS_ENV] ?? '').split(',').filter((s) => s.trim()),
      ];
      let recoveryValue = opts.recoveryKey ?? io.env[SETUP_RECOVERY_KEY_ENV];
      if (caseworkerValues.length === 0 && io.ask) {
        const answer = await io.ask(
          '   Caseworker public keys (b64u[:label], comma-separated; empty to skip): ',
        );
        caseworkerValues.push(...answer.split(',').filter((s) => s.trim()));
      }
      if (!recoveryValue && io.ask && caseworkerValues.length > 0)
        recoveryValue =
          (await io.ask('   Recovery public key (b64u[:label]; empty for none): ')) || undefined;
      const intake = [
        ...caseworkerValues.map((v, i) => parseIntakeKey(v, 'caseworker', i + 1)),
        ...(recoveryValue ? [parseIntakeKey(recoveryValue, 'recovery', 1)] : []),
      ];
      if (!intake.some((k) => k.role === 'caseworker')) {
        io.out(
          `   skipped: no caseworker key given (--caseworker-key or ${SETUP_CASEWORKER_KEYS_ENV}); until a directory is published no report is accepted`,
        );
      } else {
        if (!recoveryValue)
          io.out('   note: no recovery key: if every caseworker device is lost, reports cannot be opened');
        const rootFile = await readJsonFile(opts.rootKey, 'root key file');
        const root = openRootKey(
          rootFile,
          passphrase ?? (await io.readSecret('Root key passphrase', ROOT_PASSPHRASE_ENV)),
        );
        try {
          const issuedAt = new Date();
          const payload = buildDirectoryPayload({
            serial: 1,
            issuedAt,
            expiresAt: new Date(issuedAt.getTime() + opts.validDays * DAY_MS),
            deploymentId: config.deploymentId,
            rootPublicKey: root.publicKey,
            intake,
          });
          const result = await directories.publish(signDirectory(payload, root.privateKey), null);
          io.out(
            `   published serial ${result.serial}: ${intake.filter((k) => k.role === 'caseworker').length} caseworker key(s)${recoveryValue ? ' and a recovery key' : ''}, valid ${opts.validDays} days`,
          );
          changed++;
        } finally {
          root.privateKey.fill(0);
        }
      }
    }

    // 5. Founding admins.
    io.out('5. Founding admins');
    const state = await bootstrapState(ds);
    if (state.activeAdmin)
      io.out(
        '   an active admin exists: unchanged (invite people through the console or POST /v1/admin/invitations)',
      );
    else if (state.pendingLinks > 0) {
      io.out(
        `   ${state.pendingLinks} setup link(s) issued earlier are unused, valid until ${state.pendingUntil?.toISOString()}: unchanged`,
      );
      io.out('   (links are shown once only; `panah admin bootstrap` issues new ones and revokes these)');
    } else {
      const links = await createSetupLinks(ds, config, { count: opts.admins });
      io.out(
        `   ${links.tokens.length} one-time setup link(s), valid until ${links.expiresAt.toISOString()}; hand each to a different person, they are not shown again:`,
      );
      links.tokens.forEach((t, i) =>
        io.out(`     admin ${i + 1}: ${config.publicUrl}/console/#/register/${t.token}`),
      );
      io.out(
        `   or on the admin's own device: PANAH_INVITATION_TOKEN=<token> npx panah staff register --api ${config.publicUrl} --login <name>`,
      );
      changed++;
    }
  });

  io.out('');
  io.out(
    changed === 0
      ? 'Nothing to do: this deployment is set up (nothing was changed).'
      : 'Setup done. Next: `bash scripts/start.sh` starts the API and worker with these settings.',
  );
}

/** `panah next-step`: one line saying what this deployment needs next (start.sh prints it). */
export function registerNextStepCommand(program: Command, io: CliIo): void {
  program
    .command('next-step')
    .description('say what this deployment needs next: setup, founding admins, a key directory, or nothing')
    .action(async () => {
      const config = loadConfig(io.env);
      await withDatabase(config, async (ds) => {
        const state = await bootstrapState(ds);
        const directory = await new KeyDirectoryService(
          ds,
          config,
          new AuditLog(ds),
          new KeyDirectoryRepository(),
        ).current();
        if (!config.intake.directoryRootPublicKey)
          io.out(
            'next: `npx panah setup` (root key, .env, key directory, founding admins), then start again',
          );
        else if (!state.activeAdmin && state.pendingLinks === 0)
          io.out('next: `npx panah admin bootstrap` (setup links for the two founding admins)');
        else if (!state.activeAdmin)
          io.out(
            `next: the founding admins register with their setup links (valid until ${state.pendingUntil?.toISOString()})`,
          );
        else if (!directory)
          io.out(
            'next: publish a key directory (`npx panah setup --caseworker-key …`, or `panah keys directory sign` then PUT /v1/keys/directory)',
          );
        else
          io.out(
            `ready: admins exist and key directory serial ${directory.serial} is published; staff sign in at ${config.publicUrl}/console/`,
          );
      });
    });
}
