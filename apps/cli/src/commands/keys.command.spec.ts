import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cryptoReady, generateStaffKeys, kid, toB64u } from '@panah/crypto';
import { memoryIo } from '../io';
import { runCli } from '../program';

const fakeIo = memoryIo;

const PASS = { PANAH_ROOT_PASSPHRASE: 'correct horse battery staple' };
const DEPLOYMENT = 'panah-cli-test';

describe('panah keys', () => {
  const dir = mkdtempSync(join(tmpdir(), 'panah-keys-'));
  const rootFile = join(dir, 'root.json');
  const intakeFile = join(dir, 'intake.json');
  const signedFile = join(dir, 'directory.json');
  let rootPk = '';

  /** `keys directory sign` of the intake list with the root key (serial, validity, then the rest). */
  const signArgs = (serial: string, validDays: string, ...rest: string[]) => [
    'keys',
    'directory',
    'sign',
    '--root-key',
    rootFile,
    '--intake',
    intakeFile,
    '--serial',
    serial,
    '--deployment',
    DEPLOYMENT,
    '--valid-days',
    validDays,
    ...rest,
  ];
  /** `keys directory verify` of `file` against `rootPk` (the deployment unless the options name one). */
  const verifyArgs = (file: string, ...options: string[]) => [
    'keys',
    'directory',
    'verify',
    '--root-pk',
    rootPk,
    ...(options.includes('--deployment') ? [] : ['--deployment', DEPLOYMENT]),
    ...options,
    file,
  ];

  beforeAll(async () => {
    await cryptoReady();
    const caseworker = generateStaffKeys().boxKeyPair.publicKey;
    const recovery = generateStaffKeys().boxKeyPair.publicKey;
    writeFileSync(
      intakeFile,
      JSON.stringify([
        { pk: toB64u(caseworker), role: 'caseworker', label: 'Intake duty' },
        { pk: toB64u(recovery), role: 'recovery', label: 'Recovery key' },
      ]),
    );
  });

  it('root init writes an owner-only encrypted key and prints its kid and public key', async () => {
    const { io, out } = fakeIo(PASS);
    expect(await runCli(['keys', 'root', 'init', '--out', rootFile], io)).toBe(0);
    expect(statSync(rootFile).mode & 0o777).toBe(0o600);
    const file = JSON.parse(readFileSync(rootFile, 'utf8')) as {
      kid: string;
      pk: string;
      kdf: { ops: number; mem: number };
    };
    expect(file.kdf).toEqual(expect.objectContaining({ ops: 3, mem: 268435456 }));
    rootPk = file.pk;
    expect(out).toEqual([`root kid: ${file.kid}`, `root public key: ${file.pk}`]);
  });

  it('root init refuses to overwrite a key file or accept a short passphrase', async () => {
    const again = fakeIo(PASS);
    expect(await runCli(['keys', 'root', 'init', '--out', rootFile], again.io)).toBe(1);
    expect(again.err.join('\n')).toContain('refusing to overwrite');
    const short = fakeIo({ PANAH_ROOT_PASSPHRASE: 'short' });
    expect(await runCli(['keys', 'root', 'init', '--out', join(dir, 'other.json')], short.io)).toBe(1);
  });

  it('directory sign then verify accepts the directory against the pinned root key', async () => {
    const sign = fakeIo(PASS);
    expect(await runCli(signArgs('3', '30', '--out', signedFile), sign.io)).toBe(0);
    const verify = fakeIo();
    expect(await runCli(verifyArgs(signedFile, '--min-serial', '3'), verify.io)).toBe(0);
    expect(verify.out[0]).toMatch(/^valid: serial 3, deployment panah-cli-test, root /);
    expect(verify.out.slice(1)).toEqual([
      expect.stringContaining('caseworker'),
      expect.stringContaining('recovery'),
    ]);
  });

  it('directory sign --staff signs the staff list into the directory (spec §9) and verify lists it', async () => {
    const mina = generateStaffKeys().signKeyPair.publicKey;
    const staffFile = join(dir, 'directory-staff-list.json');
    const withStaff = join(dir, 'directory-staff.json');
    writeFileSync(
      staffFile,
      JSON.stringify([{ kid: kid(mina), signPk: toB64u(mina), label: 'Caseworker Mina' }]),
    );
    const sign = fakeIo(PASS);
    expect(await runCli(signArgs('4', '30', '--staff', staffFile, '--out', withStaff), sign.io)).toBe(0);
    expect(sign.out.join('\n')).toContain('1 staff');
    const verify = fakeIo();
    expect(await runCli(verifyArgs(withStaff), verify.io)).toBe(0);
    expect(verify.out).toContain(`  staff ${kid(mina)} Caseworker Mina`);
    // A kid that does not name its key is refused, naming the field; nothing is written.
    writeFileSync(
      staffFile,
      JSON.stringify([{ kid: 'AAAAAAAAAAAAAAAAAAAAAA', signPk: toB64u(mina), label: 'x' }]),
    );
    const bad = fakeIo(PASS);
    const badOut = join(dir, 'never.json');
    expect(await runCli(signArgs('4', '30', '--staff', staffFile, '--out', badOut), bad.io)).toBe(1);
    expect(bad.err.join('\n')).toContain('staff[0].kid');
    expect(() => statSync(badOut)).toThrow();
  });

  it('directory verify rejects a rollback, another deployment and another root key with exit code 2', async () => {
    const otherRoot = toB64u(generateStaffKeys().signKeyPair.publicKey);
    const cases: [string[], string][] = [
      [verifyArgs(signedFile, '--min-serial', '4'), 'serial_rollback'],
      [verifyArgs(signedFile, '--deployment', 'elsewhere'), 'wrong_deployment'],
      [
        ['keys', 'directory', 'verify', '--root-pk', otherRoot, '--deployment', DEPLOYMENT, signedFile],
        'bad_signature',
      ],
    ];
    for (const [args, reason] of cases) {
      const { io, err } = fakeIo();
      expect(await runCli(args, io)).toBe(2);
      expect(err.join('\n')).toContain(reason);
    }
  });

  it('directory sign fails with the wrong passphrase and prints the document to stdout without --out', async () => {
    const wrong = fakeIo({ PANAH_ROOT_PASSPHRASE: 'not the passphrase at all' });
    expect(await runCli(signArgs('4', '1'), wrong.io)).toBe(1);
    expect(wrong.err.join('\n')).toContain('wrong passphrase');
    expect(await runCli(signArgs('4', 'x'), fakeIo(PASS).io)).not.toBe(0);
  });

  it('staff new writes a password-protected staff key file', async () => {
    const { io, out } = fakeIo({ PANAH_STAFF_PASSWORD: 'staff password 123' });
    const file = join(dir, 'staff.json');
    expect(await runCli(['keys', 'staff', 'new', '--staff-id', 'staff-7', '--out', file], io)).toBe(0);
    const written = JSON.parse(readFileSync(file, 'utf8')) as { type: string; boxPk: string };
    expect(written.type).toBe('panah-staff-key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(out[1]).toContain(written.boxPk);
    expect(out[1]).toContain(kid(Uint8Array.from(Buffer.from(written.boxPk, 'base64url'))));
  });

  it.each([
    ['keys'],
    ['keys', 'root', 'init'],
    ['keys', 'directory', 'sign'],
    ['keys', 'directory', 'verify'],
    ['keys', 'staff', 'new'],
    ['reporter', 'code', 'new'],
    ['envelope', 'open'],
  ])('%s … --help prints usage', async (...path) => {
    const { io, out } = fakeIo();
    expect(await runCli([...path, '--help'], io)).toBe(0);
    expect(out.join('')).toContain('Usage: panah');
  });
});
