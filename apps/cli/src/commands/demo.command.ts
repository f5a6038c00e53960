import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { loadConfig, parseDotEnv } from '@panah/config';
import {
  buildDirectoryPayload,
  cryptoReady,
  deriveReporterKeys,
  deriveStaffKeys,
  enrolStaffKeys,
  formatAccessCode,
  fromB64u,
  fromUtf8,
  generateAccessCode,
  generateRootKey,
  generateStaffKdfSalt,
  generateStaffKeys,
  intakePublicKeys,
  kid,
  openRootKey,
  protectRootKey,
  sealEnvelope,
  signChallenge,
  signDirectory,
  toB64u,
  utf8,
  verifyDirectory,
} from '@panah/crypto';
import { ensureDatabase } from '@panah/db';
import { leadingZeroBits } from '@panah/domain';
import { bootstrapState, createSetupLinks, newTotpSecret, totpCodeAt, totpUri } from '@panah/identity';
import { withDatabase } from '../database';
import { CliError, CliIo } from '../io';
import { readJsonFile, writeSecretFile } from './keys.command';
import { answer, apiClient } from './staff-client';

/**
 * `panah demo`: a complete local deployment on embedded defaults, for trying Panah out (never for
 * real reports). `bash scripts/start.sh --demo` runs `demo prepare` (settings, root key, database),
 * starts the API and worker with DEMO_MODE (the worker catches every email; the API shows them at
 * /dev/mail), then `demo seed` (admins, a team, a caseworker, a policy, a rule set and a signed
 * key directory, all through the API as people would do it). `demo report` then files a report as
 * a reporter's client would and waits for the caseworker's alert at the mail catcher.
 */
export const DEMO_DIR = '.panah/demo';
const DEMO_ROOT_PASSPHRASE = 'panah demo root key (not secret: demo only)';
const DEMO_DEPLOYMENT = 'panah-demo';
const CASEWORKER = {
  login: 'mina',
  password: 'mina demo password',
  label: 'Mina (demo caseworker)',
  inbox: 'mina@demo.panah.example',
};
const ADMINS = [
  { login: 'demo.admin1', password: 'demo admin one password' },
  { login: 'demo.admin2', password: 'demo admin two password' },
];
const TEAM = 'Demo desk';

interface DemoPerson {
  readonly login: string;
  readonly password: string;
  readonly totpSecret: string;
}

/** What `demo seed` leaves in `.panah/demo/state.json` (mode 0600) for `demo report` and `demo totp`. */
export interface DemoState {
  readonly apiUrl: string;
  readonly deploymentId: string;
  readonly rootPublicKey: string;
  readonly teamId: string;
  readonly caseworker: DemoPerson & { readonly staffId: string; readonly inbox: string };
  readonly admins: readonly DemoPerson[];
}

const b64u32 = (): string => randomBytes(32).toString('base64url');

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CliError(`cannot read ${path}`);
  }
}

export async function readDemoState(dir: string): Promise<DemoState | null> {
  const text = await readText(join(dir, 'state.json'));
  return text === null ? null : (JSON.parse(text) as DemoState);
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('must be a port number');
  return n;
}

/** Creates the database DATABASE_URL names when it is missing (the demo's own, `panah_demo` by default). */
async function createDatabaseIfMissing(url: string): Promise<boolean> {
  try {
    return await ensureDatabase(url);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT')
      throw new CliError(`PostgreSQL is not reachable at ${new URL(url).host} (set DATABASE_URL)`);
    throw error;
  }
}

/** A TOTP code for a step after `lastStep` inside the server's ±1 window (waits when both are used). */
async function nextCode(secret: string, lastStep: number | null): Promise<{ code: string; step: number }> {
  for (;;) {
    const now = Date.now();
    const current = Math.floor(now / 30_000);
    const step = lastStep === null || lastStep < current ? current : lastStep + 1;
    if (step <= current + 1) return { code: await totpCodeAt(secret, new Date(step * 30_000 + 1_000)), step };
    await new Promise((r) => setTimeout(r, (current + 1) * 30_000 - now + 50));
  }
}

interface Registered {
  readonly staffId: string;
  readonly token: string;
  readonly boxPk: Uint8Array;
  readonly signPk: Uint8Array;
}

/**
 * Registers one staff member as `panah staff register` does (keys derived from the password and
 * protected on this machine, TOTP enrolled), and, once `approve` has run, signs them in.
 */
async function registerAndSignIn(
  base: string,
  invitationToken: string,
  person: DemoPerson,
  approve: (staffId: string) => Promise<void> = async () => undefined,
): Promise<Registered> {
  const staffId = randomUUID();
  const kdfSalt = generateStaffKdfSalt();
  const { authKey, encKey } = deriveStaffKeys(person.password, kdfSalt);
  const keys = enrolStaffKeys(staffId, encKey);
  const enrol = await nextCode(person.totpSecret, null);
  const api = apiClient(base);
  await answer(
    api.POST('/v1/staff/register', {
      body: {
        invitationToken,
        staffId,
        login: person.login,
        kdfSalt: toB64u(kdfSalt),
        authKey: toB64u(authKey),
        boxPk: toB64u(keys.boxPk),
        signPk: toB64u(keys.signPk),
        protectedSecret: keys.protectedSecret,
        totpSecret: person.totpSecret,
        totpCode: enrol.code,
      },
    }),
  );
  await approve(staffId);
  const second = await nextCode(person.totpSecret, enrol.step);
  const session = await answer(
    api.POST('/v1/staff/login', {
      body: { login: person.login, authKey: toB64u(authKey), totpCode: second.code },
    }),
  );
  authKey.fill(0);
  return {
    staffId,
    token: session.token,
    boxPk: keys.boxPk,
    signPk: keys.signPk,
  };
}

function solvePow(challenge: string, difficulty: number): string {
  const c = fromB64u(challenge, 'challenge');
  const nonce = Buffer.alloc(8);
  for (let n = 0; ; n++) {
    nonce.writeBigUInt64BE(BigInt(n));
    if (leadingZeroBits(createHash('sha256').update(c).update(nonce).digest()) >= difficulty)
      return nonce.toString('base64url');
  }
}

export function registerDemoCommands(program: Command, io: CliIo): void {
  const demo = program
    .command('demo')
    .description(
      'a local demo deployment on embedded defaults (`bash scripts/start.sh --demo`): never for real reports',
    )
    .option('--dir <dir>', 'where the demo keeps its settings, root key and state', DEMO_DIR);

  demo
    .command('prepare')
    .description(
      'write the demo settings (DEMO_MODE, <dir>/demo.env), its root key and its own database (start.sh --demo runs it)',
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const dir = (cmd.parent?.opts() as { dir: string }).dir;
      await cryptoReady();
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const rootFile = join(dir, 'root-key.json');
      let rootPk: string;
      const existing = await readText(rootFile);
      if (existing !== null) rootPk = ((await readJsonFile(rootFile, 'demo root key')) as { pk: string }).pk;
      else {
        const pair = generateRootKey();
        await writeSecretFile(rootFile, protectRootKey(pair, DEMO_ROOT_PASSPHRASE));
        rootPk = toB64u(pair.publicKey);
        pair.privateKey.fill(0);
      }
      const envFile = io.env.PANAH_ENV_FILE || join(dir, 'demo.env');
      const envText = await readText(envFile);
      const current = envText === null ? {} : parseDotEnv(envText);
      if (current.DIRECTORY_ROOT_PUBLIC_KEY && current.DIRECTORY_ROOT_PUBLIC_KEY !== rootPk)
        throw new CliError(`${envFile} pins another root key than ${rootFile}; remove ${dir} to start over`);
      const e = io.env;
      const apiPort = e.API_PORT ?? '3000';
      const dbServer = 'postgres://postgres@127.0.0.1:5432';
      const wanted: Record<string, string> = {
        NODE_ENV: 'development',
        DEMO_MODE: 'true',
        DEPLOYMENT_ID: DEMO_DEPLOYMENT,
        API_PORT: apiPort,
        WORKER_PORT: e.WORKER_PORT ?? '3001',
        PUBLIC_URL: e.PUBLIC_URL ?? `http://127.0.0.1:${apiPort}`,
        DATABASE_URL: e.DATABASE_URL ?? `${dbServer}/panah_demo`,
        REDIS_URL: e.REDIS_URL ?? 'redis://127.0.0.1:6379',
        REDIS_PREFIX: e.REDIS_PREFIX ?? 'panah-demo',
        SMTP_URL: e.SMTP_URL ?? 'smtp://127.0.0.1:1025',
        DATA_KEYS: `d1:${b64u32()}`,
        DATA_KEY_ID: 'd1',
        TOKEN_KEY: b64u32(),
        DIRECTORY_ROOT_PUBLIC_KEY: rootPk,
      };
      const missing = Object.entries(wanted).filter(([k]) => current[k] === undefined);
      if (missing.length) {
        const header =
          envText === null
            ? '# The Panah DEMO deployment (`panah demo prepare`): development only, never for real reports.\n'
            : '';
        await writeFile(
          envFile,
          `${envText === null || envText === '' || envText.endsWith('\n') ? (envText ?? '') : `${envText}\n`}${header}${missing.map(([k, v]) => `${k}=${v}`).join('\n')}\n`,
          { mode: 0o600 },
        );
      }
      const settings = { ...Object.fromEntries(missing), ...current };
      const created = await createDatabaseIfMissing(e.DATABASE_URL ?? (settings.DATABASE_URL as string));
      io.out(
        `demo settings: ${envFile}${missing.length ? ` (wrote ${missing.map(([k]) => k).join(', ')})` : ' (unchanged)'}; database ${created ? 'created' : 'exists'}`,
      );
    });

  demo
    .command('seed')
    .description(
      'through the running API: two admins, a team, a caseworker with an email inbox at the mail catcher, a policy, an active rule set, a signed key directory (idempotent)',
    )
    .option('--api <url>', 'API base URL (default PANAH_API_URL or PUBLIC_URL)')
    .action(async (opts: { api?: string }, cmd: Command) => {
      const dir = (cmd.parent?.opts() as { dir: string }).dir;
      const config = loadConfig(io.env);
      if (!config.demo) throw new CliError('not a demo deployment: run `bash scripts/start.sh --demo`');
      const base = (opts.api ?? io.env.PANAH_API_URL ?? config.publicUrl).replace(/\/+$/, '');
      const before = await readDemoState(dir);
      const state = await withDatabase(config, (ds) => bootstrapState(ds));
      if (before && state.activeAdmin) {
        io.out(`demo data exists (${join(dir, 'state.json')}): unchanged`);
        printNextSteps(io, before, false);
        return;
      }
      if (state.activeAdmin)
        throw new CliError(
          `the demo database already has admins but ${join(dir, 'state.json')} is missing: drop that database (or set DATABASE_URL to a new one) and start again`,
        );
      await cryptoReady();
      const links = await withDatabase(config, (ds) => createSetupLinks(ds, config, { count: 2 }));
      const admins: DemoPerson[] = ADMINS.map((a) => ({ ...a, totpSecret: newTotpSecret() }));
      const admin1 = await registerAndSignIn(base, links.tokens[0].token, admins[0]);
      const admin2 = await registerAndSignIn(base, links.tokens[1].token, admins[1]);
      io.out(`admins ${admins.map((a) => a.login).join(' and ')} registered (founding admins)`);
      const asAdmin1 = apiClient(base, admin1.token);
      const team = await answer(
        asAdmin1.POST('/v1/admin/teams', {
          body: { name: TEAM, regions: [], languages: ['prs', 'ps', 'fa', 'en'] },
        }),
      );
      const invitation = await answer(
        asAdmin1.POST('/v1/admin/invitations', {
          body: { label: CASEWORKER.label, role: 'caseworker', teamIds: [team.id] },
        }),
      );
      const caseworker: DemoState['caseworker'] = {
        login: CASEWORKER.login,
        password: CASEWORKER.password,
        totpSecret: newTotpSecret(),
        inbox: CASEWORKER.inbox,
        staffId: '',
      };
      // Invited by the first admin, vetted by the second (four eyes, G6).
      const cw = await registerAndSignIn(base, invitation.token, caseworker, async (staffId) => {
        await answer(
          apiClient(base, admin2.token).POST('/v1/admin/staff/{id}/approve', {
            params: { path: { id: staffId } },
          }),
        );
      });
      await answer(
        apiClient(base, cw.token).POST('/v1/me/contact-methods', {
          body: { channel: 'email', detail: { address: CASEWORKER.inbox } },
        }),
      );
      io.out(`caseworker ${CASEWORKER.login} invited by ${ADMINS[0].login}, approved by ${ADMINS[1].login}`);
      const policy = await answer(
        asAdmin1.POST('/v1/admin/escalation-policies', {
          body: {
            name: 'Demo: alert the caseworker, again after 10 minutes',
            definition: {
              steps: [
                { type: 'notify', targets: [{ type: 'staff', staffId: cw.staffId }] },
                { type: 'wait', seconds: 600 },
                { type: 'notify', targets: [{ type: 'staff', staffId: cw.staffId }] },
              ],
            },
          },
        }),
      );
      await answer(
        asAdmin1.POST('/v1/triage-rules', {
          body: {
            ruleSet: {
              rules: [],
              default: {
                severity: 'high',
                route: { kind: 'team', teamId: team.id },
                policyId: policy.id,
                deadlineMinutes: 30,
              },
              defaultTeamId: team.id,
            },
            activate: true,
          },
        }),
      );
      io.out(`team "${TEAM}", escalation policy and an active rule set routing every report to it`);

      // The key directory: the caseworker's box key for intake, an offline recovery key, and the
      // caseworker's sign key as staff (crypto-v1 §9), signed by the demo root key.
      const recovery = generateStaffKeys().boxKeyPair;
      await writeSecretFile(join(dir, 'recovery-key.json'), {
        note: 'demo recovery key: the private half that would be kept offline',
        pk: toB64u(recovery.publicKey),
        sk: toB64u(recovery.privateKey),
      });
      recovery.privateKey.fill(0);
      const root = openRootKey(
        await readJsonFile(join(dir, 'root-key.json'), 'demo root key'),
        DEMO_ROOT_PASSPHRASE,
      );
      const meta = await answer(asAdmin1.GET('/v1/meta'));
      const now = Date.now();
      const payload = {
        ...(JSON.parse(
          fromUtf8(
            buildDirectoryPayload({
              serial: 1,
              issuedAt: new Date(now - 60_000),
              expiresAt: new Date(now + 365 * 86_400_000),
              deploymentId: meta.deploymentId,
              rootPublicKey: root.publicKey,
              intake: [
                { publicKey: cw.boxPk, role: 'caseworker', label: CASEWORKER.label },
                { publicKey: recovery.publicKey, role: 'recovery', label: 'demo recovery key' },
              ],
            }),
          ),
        ) as Record<string, unknown>),
        staff: [{ kid: kid(cw.signPk), signPk: toB64u(cw.signPk), label: CASEWORKER.label }],
      };
      const signed = signDirectory(utf8(JSON.stringify(payload)), root.privateKey);
      root.privateKey.fill(0);
      await answer(asAdmin1.PUT('/v1/keys/directory', { body: signed }));
      io.out('key directory serial 1 signed by the demo root key and published');

      const done: DemoState = {
        apiUrl: base,
        deploymentId: meta.deploymentId,
        rootPublicKey: toB64u(root.publicKey),
        teamId: team.id,
        caseworker: { ...caseworker, staffId: cw.staffId },
        admins,
      };
      await writeSecretFile(join(dir, 'state.json'), done);
      printNextSteps(io, done, true);
    });

  demo
    .command('report')
    .description(
      "file a test report as a reporter's client would (access code, proof of work, sealed to the verified directory) and wait for the caseworker's alert",
    )
    .option('--api <url>', 'API base URL (default: the demo one)')
    .option(
      '--text <narrative>',
      'what the report says',
      'Demo report: a car has been parked outside my flat for three nights.',
    )
    .option('--no-wait', 'do not wait for the alert email')
    .option('--timeout <seconds>', 'how long to wait for the alert', port, 90)
    .action(async (opts: { api?: string; text: string; wait: boolean; timeout: number }, cmd: Command) => {
      const dir = (cmd.parent?.opts() as { dir: string }).dir;
      const state = await readDemoState(dir);
      if (!state)
        throw new CliError(
          `no demo here (${join(dir, 'state.json')}): run \`bash scripts/start.sh --demo\` first`,
        );
      const base = (opts.api ?? io.env.PANAH_API_URL ?? state.apiUrl).replace(/\/+$/, '');
      await cryptoReady();
      const started = Date.now();
      const api = apiClient(base);
      const meta = await answer(api.GET('/v1/meta'));
      // The client trusts the directory only when the root key it pins signed it (spec §3).
      const doc = await answer(api.GET('/v1/keys/directory'));
      const directory = verifyDirectory(doc, fromB64u(state.rootPublicKey, 'rootPublicKey'), {
        now: new Date(),
        deploymentId: meta.deploymentId,
      });
      const code = generateAccessCode();
      const keys = deriveReporterKeys(code, meta.deploymentId);
      const pow = await answer(api.POST('/v1/reporters/pow-challenges'));
      const nonce = solvePow(pow.challenge, pow.difficulty);
      const registered = await answer(
        api.POST('/v1/reporters', {
          body: {
            signPk: toB64u(keys.signKeyPair.publicKey),
            boxPk: toB64u(keys.boxKeyPair.publicKey),
            pow: { challenge: pow.challenge, nonce },
          },
        }),
      );
      const challenge = await answer(
        api.POST('/v1/reporters/challenges', { body: { reporterId: registered.reporterId } }),
      );
      const session = await answer(
        api.POST('/v1/reporters/sessions', {
          body: {
            reporterId: registered.reporterId,
            challenge: challenge.challenge,
            signature: toB64u(
              signChallenge(fromB64u(challenge.challenge, 'challenge'), keys.signKeyPair.privateKey),
            ),
          },
        }),
      );
      const id = randomUUID();
      const envelope = sealEnvelope({
        kind: 'report',
        id,
        plaintext: JSON.stringify({
          schema: 'panah/report/v1',
          language: 'en',
          narrative: opts.text,
          what: opts.text,
        }),
        recipientPublicKeys: intakePublicKeys(directory),
        authorSignSecretKey: keys.signKeyPair.privateKey,
      });
      keys.signKeyPair.privateKey.fill(0);
      keys.boxKeyPair.privateKey.fill(0);
      await answer(
        apiClient(base, session.token).PUT('/v1/reports/{id}', {
          params: { path: { id } },
          body: {
            envelope: { ...envelope, recipients: [...envelope.recipients] },
            hints: { category: 'surveillance', imminence: 'days' },
          },
        }),
      );
      io.out(
        `report ${id} filed, encrypted to directory serial ${directory.serial} (reporter ${registered.reporterId})`,
      );
      io.out(`reporter access code (sign in at ${base}/ to read replies): ${formatAccessCode(code)}`);
      if (!opts.wait) {
        io.out(`the caseworker's alert will appear at ${base}/dev/mail`);
        return;
      }
      const deadline = started + opts.timeout * 1000;
      for (;;) {
        // Raw: the development mail catcher is not part of the API contract (docs/openapi.json).
        const res = await fetch(`${base}/dev/mail.json`, { headers: { connection: 'close' } }).catch(
          () => null,
        );
        if (res?.ok) {
          const { messages } = (await res.json()) as {
            messages: { receivedAt: string; to: string[]; subject: string }[];
          };
          const alert = messages.find(
            (m) => m.to.includes(state.caseworker.inbox) && Date.parse(m.receivedAt) >= started - 1000,
          );
          if (alert) {
            io.out(
              `alert email to ${state.caseworker.inbox} after ${((Date.now() - started) / 1000).toFixed(1)} s: "${alert.subject}"`,
            );
            io.out(
              `read it at ${base}/dev/mail; sign in as ${state.caseworker.login} at ${base}/console/ to open the case`,
            );
            return;
          }
        } else if (res && res.status === 404)
          throw new CliError(`${base}/dev/mail is not there: is this API running with DEMO_MODE?`);
        if (Date.now() > deadline)
          throw new CliError(
            `no alert email for ${state.caseworker.inbox} within ${opts.timeout} s (see .panah/logs/worker.log)`,
          );
        await new Promise((r) => setTimeout(r, 500));
      }
    });

  demo
    .command('totp')
    .description("print the demo caseworker's current TOTP code (instead of an authenticator app; demo only)")
    .option('--login <name>', 'a demo account', CASEWORKER.login)
    .action(async (opts: { login: string }, cmd: Command) => {
      const dir = (cmd.parent?.opts() as { dir: string }).dir;
      const state = await readDemoState(dir);
      const person = state && [state.caseworker, ...state.admins].find((p) => p.login === opts.login);
      if (!person) throw new CliError(`no demo account ${opts.login} (${join(dir, 'state.json')})`);
      io.out(await totpCodeAt(person.totpSecret, new Date()));
    });
}

function printNextSteps(io: CliIo, state: DemoState, first: boolean): void {
  const cw = state.caseworker;
  io.out('');
  io.out('Demo deployment (development only, never for real reports):');
  io.out(`  console:        ${state.apiUrl}/console/`);
  io.out(`  caseworker:     login ${cw.login}, password "${cw.password}"`);
  if (first) {
    io.out(`  TOTP secret:    ${cw.totpSecret}   (shown this once; add it to an authenticator app:`);
    io.out(`                  ${totpUri(cw.login, cw.totpSecret)} )`);
  } else io.out('  TOTP:           the secret was printed when the demo was seeded');
  io.out('                  or `npx panah demo totp` prints the current code');
  io.out(
    `  admins:         ${state.admins.map((a) => a.login).join(', ')} (passwords and TOTP in ${DEMO_DIR}/state.json)`,
  );
  io.out(`  reporter app:   ${state.apiUrl}/`);
  io.out(`  caught mail:    ${state.apiUrl}/dev/mail`);
  io.out('  next:           `npx panah demo report` files a test report; the alert to');
  io.out(`                  ${cw.inbox} appears at /dev/mail within seconds`);
}
