import { Command, InvalidArgumentError } from 'commander';
import { readFile, writeFile } from 'node:fs/promises';
import {
  buildDirectoryPayload,
  createStaffKeyFile,
  cryptoReady,
  DIRECTORY_ROLES,
  DirectoryError,
  DirectoryRole,
  fromB64uExact,
  generateRootKey,
  generateStaffKeys,
  kid,
  openRootKey,
  protectRootKey,
  signDirectory,
  toB64u,
  verifyDirectory,
} from '@panah/crypto';
import { CliError, CliIo } from '../io';

export const ROOT_PASSPHRASE_ENV = 'PANAH_ROOT_PASSPHRASE';
export const STAFF_PASSWORD_ENV = 'PANAH_STAFF_PASSWORD';
const MIN_PASSPHRASE = 12;
const DAY_MS = 86_400_000;

/** Reads and parses a JSON file, turning I/O and syntax errors into one clear CliError. */
export async function readJsonFile(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new CliError(`cannot read ${what} ${path}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CliError(`${what} ${path} is not valid JSON`);
  }
}

/** Writes a secret file readable by its owner only, refusing to overwrite an existing key. */
export async function writeSecretFile(path: string, data: unknown): Promise<void> {
  try {
    await writeFile(path, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    const exists = (error as NodeJS.ErrnoException).code === 'EEXIST';
    throw new CliError(
      exists ? `${path} already exists; refusing to overwrite a key file` : `cannot write ${path}`,
    );
  }
}

/** Asks twice (when prompting) so a typo cannot lock the key away for good. */
export async function readNewSecret(io: CliIo, prompt: string, envVar: string): Promise<string> {
  const first = await io.readSecret(prompt, envVar);
  if (first.length < MIN_PASSPHRASE)
    throw new CliError(`${prompt} must be at least ${MIN_PASSPHRASE} characters`);
  const again = await io.readSecret(`Repeat ${prompt.toLowerCase()}`, envVar);
  if (again !== first) throw new CliError(`${prompt}s do not match`);
  return first;
}

export function parseNonNegativeInt(value: string): number {
  if (!/^\d{1,15}$/.test(value)) throw new InvalidArgumentError('must be a non-negative integer');
  return Number(value);
}

function parsePositiveInt(value: string): number {
  const n = parseNonNegativeInt(value);
  if (n === 0) throw new InvalidArgumentError('must be at least 1');
  return n;
}

/** Intake file for `directory sign`: `[{ "pk": "<b64u X25519>", "role": "caseworker"|"recovery", "label": "…" }]`. */
function parseIntake(raw: unknown): { publicKey: Uint8Array; role: DirectoryRole; label: string }[] {
  if (!Array.isArray(raw) || raw.length === 0)
    throw new CliError('intake file must be a non-empty JSON array');
  return raw.map((entry: unknown, i) => {
    const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    if (typeof e.role !== 'string' || !(DIRECTORY_ROLES as readonly string[]).includes(e.role)) {
      throw new CliError(`intake[${i}].role must be one of ${DIRECTORY_ROLES.join(', ')}`);
    }
    if (typeof e.label !== 'string') throw new CliError(`intake[${i}].label must be a string`);
    return {
      publicKey: fromB64uExact(e.pk, 32, `intake[${i}].pk`),
      role: e.role as DirectoryRole,
      label: e.label,
    };
  });
}

/**
 * Staff file for `directory sign --staff` (spec §9): `[{ "signPk": "<b64u Ed25519>", "label": "…" }]`,
 * the people the organisation lets speak to reporters (a `kid`, as `GET /v1/keys/staff` lists it,
 * must name the key).
 */
function parseStaffList(raw: unknown): { signPk: Uint8Array; label: string }[] {
  if (!Array.isArray(raw)) throw new CliError('staff file must be a JSON array');
  return raw.map((entry: unknown, i) => {
    const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    if (typeof e.label !== 'string') throw new CliError(`staff[${i}].label must be a string`);
    const signPk = fromB64uExact(e.signPk, 32, `staff[${i}].signPk`);
    if (e.kid !== undefined && e.kid !== kid(signPk))
      throw new CliError(`staff[${i}].kid does not name staff[${i}].signPk`);
    return { signPk, label: e.label };
  });
}

function registerRoot(keys: Command, io: CliIo): void {
  const root = keys
    .command('root')
    .description('the organisation root key (Ed25519) that signs the key directory');
  root
    .command('init')
    .description(`create a root key, encrypted under a passphrase (from ${ROOT_PASSPHRASE_ENV} or a prompt)`)
    .requiredOption(
      '--out <file>',
      'where to write the encrypted root key (created with mode 0600, never overwritten)',
    )
    .action(async (opts: { out: string }) => {
      await cryptoReady();
      const passphrase = await readNewSecret(io, 'Root key passphrase', ROOT_PASSPHRASE_ENV);
      const pair = generateRootKey();
      try {
        await writeSecretFile(opts.out, protectRootKey(pair, passphrase));
        io.out(`root kid: ${kid(pair.publicKey)}`);
        io.out(`root public key: ${toB64u(pair.publicKey)}`);
      } finally {
        pair.privateKey.fill(0);
      }
    });
}

function registerDirectory(keys: Command, io: CliIo): void {
  const directory = keys
    .command('directory')
    .description('the signed key directory clients encrypt reports to');
  directory
    .command('sign')
    .description('sign a key directory with the root key')
    .requiredOption('--root-key <file>', 'encrypted root key file from `keys root init`')
    .requiredOption('--intake <file>', 'JSON array of {pk, role: caseworker|recovery, label}')
    .requiredOption(
      '--serial <n>',
      'directory serial; must grow with every new directory',
      parseNonNegativeInt,
    )
    .requiredOption('--deployment <id>', 'deploymentId served by GET /v1/meta')
    .requiredOption('--valid-days <n>', 'days until the directory expires', parsePositiveInt)
    .option(
      '--staff <file>',
      'JSON array of {signPk, label}: the staff whose messages reporters see as the organisation’s (spec §9)',
    )
    .option('--out <file>', 'write the signed directory here instead of stdout')
    .action(
      async (opts: {
        rootKey: string;
        intake: string;
        staff?: string;
        serial: number;
        deployment: string;
        validDays: number;
        out?: string;
      }) => {
        await cryptoReady();
        const intake = parseIntake(await readJsonFile(opts.intake, 'intake file'));
        const staff =
          opts.staff === undefined ? undefined : parseStaffList(await readJsonFile(opts.staff, 'staff file'));
        const rootFile = await readJsonFile(opts.rootKey, 'root key file');
        const root = openRootKey(rootFile, await io.readSecret('Root key passphrase', ROOT_PASSPHRASE_ENV));
        try {
          const issuedAt = new Date();
          const payload = buildDirectoryPayload({
            serial: opts.serial,
            issuedAt,
            expiresAt: new Date(issuedAt.getTime() + opts.validDays * DAY_MS),
            deploymentId: opts.deployment,
            rootPublicKey: root.publicKey,
            intake,
            staff,
          });
          const doc = `${JSON.stringify(signDirectory(payload, root.privateKey), null, 2)}\n`;
          if (opts.out === undefined) io.out(doc);
          else {
            await writeFile(opts.out, doc);
            io.out(
              `signed directory serial ${opts.serial} (${intake.length} intake keys, ${staff?.length ?? 0} staff) written to ${opts.out}`,
            );
          }
        } finally {
          root.privateKey.fill(0);
        }
      },
    );

  directory
    .command('verify')
    .description('verify a signed key directory against a pinned root public key')
    .argument('<file>', 'signed directory JSON')
    .requiredOption('--root-pk <b64u>', 'the pinned root public key')
    .requiredOption('--deployment <id>', 'the expected deploymentId')
    .option('--min-serial <n>', 'reject a directory older than this serial', parseNonNegativeInt)
    .action(async (file: string, opts: { rootPk: string; deployment: string; minSerial?: number }) => {
      await cryptoReady();
      const doc = await readJsonFile(file, 'directory');
      try {
        const p = verifyDirectory(doc, fromB64uExact(opts.rootPk, 32, '--root-pk'), {
          now: new Date(),
          deploymentId: opts.deployment,
          minSerial: opts.minSerial,
        });
        io.out(
          `valid: serial ${p.serial}, deployment ${p.deploymentId}, root ${p.root}, expires ${p.expiresAt}`,
        );
        for (const e of p.intake) io.out(`  ${e.role} ${e.kid} ${e.label}`);
        for (const e of p.staff ?? []) io.out(`  staff ${e.kid} ${e.label}`);
      } catch (error) {
        if (error instanceof DirectoryError) throw new CliError(error.message, 2);
        throw error;
      }
    });
}

function registerStaff(keys: Command, io: CliIo): void {
  keys
    .command('staff')
    .description('caseworker key files')
    .command('new')
    .description(`create staff key pairs protected by a password (from ${STAFF_PASSWORD_ENV} or a prompt)`)
    .requiredOption('--staff-id <id>', 'the staff account id (bound into the protected secret)')
    .requiredOption('--out <file>', 'where to write the staff key file (mode 0600, never overwritten)')
    .action(async (opts: { staffId: string; out: string }) => {
      await cryptoReady();
      const password = await readNewSecret(io, 'Staff password', STAFF_PASSWORD_ENV);
      const keys = generateStaffKeys();
      const { file, authKey } = createStaffKeyFile(opts.staffId, password, keys);
      authKey.fill(0);
      keys.boxKeyPair.privateKey.fill(0);
      keys.signKeyPair.privateKey.fill(0);
      await writeSecretFile(opts.out, file);
      io.out(`staff id: ${file.staffId}`);
      io.out(`box public key: ${file.boxPk} (kid ${kid(keys.boxKeyPair.publicKey)})`);
      io.out(`sign public key: ${file.signPk} (kid ${kid(keys.signKeyPair.publicKey)})`);
    });
}

export function registerKeysCommands(program: Command, io: CliIo): void {
  const keys = program
    .command('keys')
    .description('key ceremony: root key, signed key directory, staff keys');
  registerRoot(keys, io);
  registerDirectory(keys, io);
  registerStaff(keys, io);
}
