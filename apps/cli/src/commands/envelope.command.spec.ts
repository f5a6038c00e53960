import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cryptoReady,
  deriveReporterKeys,
  fromB64u,
  normaliseAccessCode,
  sealEnvelope,
  toB64u,
} from '@panah/crypto';
import { runCli } from '../program';
import { memoryIo } from '../io';

const fakeIo = memoryIo;

const DEPLOYMENT = 'panah-cli-test';
const STAFF = { PANAH_STAFF_PASSWORD: 'a caseworker password' };

describe('reporter code → envelope open', () => {
  const dir = mkdtempSync(join(tmpdir(), 'panah-envelope-'));
  const staffFile = join(dir, 'staff.json');
  const envelopeFile = join(dir, 'report.json');
  const narrative = JSON.stringify({ schema: 'report/1', narrative: 'مرا تهدید کردند — they threatened me' });
  let reporterSignPk = '';

  beforeAll(async () => {
    await cryptoReady();
    expect(
      await runCli(['keys', 'staff', 'new', '--staff-id', 'cw-1', '--out', staffFile], fakeIo(STAFF).io),
    ).toBe(0);
  });

  it('reporter code new prints a code whose derivation gives the printed identity', async () => {
    const { io, out } = fakeIo();
    expect(await runCli(['reporter', 'code', 'new', '--deployment', DEPLOYMENT], io)).toBe(0);
    const field = (name: string): string =>
      (out.find((l) => l.startsWith(`${name}: `)) ?? '').slice(name.length + 2);
    expect(field('access code')).toMatch(/^\d{4}( \d{4}){4}$/);
    const keys = deriveReporterKeys(field('access code'), DEPLOYMENT);
    expect(field('reporter id')).toBe(keys.reporterId);
    expect(field('box public key')).toBe(toB64u(keys.boxKeyPair.publicKey));
    expect(field('sign public key')).toBe(toB64u(keys.signKeyPair.publicKey));
    reporterSignPk = field('sign public key');

    // The reporter's device seals a report to the caseworker's key.
    const staffBoxPk = fromB64u((JSON.parse(readFileSync(staffFile, 'utf8')) as { boxPk: string }).boxPk);
    const envelope = sealEnvelope({
      kind: 'report',
      id: crypto.randomUUID(),
      plaintext: narrative,
      recipientPublicKeys: [staffBoxPk],
      authorSignSecretKey: deriveReporterKeys(normaliseAccessCode(field('access code')), DEPLOYMENT)
        .signKeyPair.privateKey,
    });
    writeFileSync(envelopeFile, JSON.stringify(envelope));
  });

  it('envelope open verifies the author and prints the plaintext', async () => {
    const { io, out, err } = fakeIo(STAFF);
    expect(
      await runCli(
        ['envelope', 'open', '--staff-secret', staffFile, '--author-pk', reporterSignPk, envelopeFile],
        io,
      ),
    ).toBe(0);
    expect(out).toEqual([narrative]);
    expect(err).toEqual([]);
  });

  it('warns when the author is not checked, and refuses another author key or password', async () => {
    const unchecked = fakeIo(STAFF);
    expect(await runCli(['envelope', 'open', '--staff-secret', staffFile, envelopeFile], unchecked.io)).toBe(
      0,
    );
    expect(unchecked.err.join('\n')).toContain('NOT verified');

    const otherAuthor = toB64u(new Uint8Array(32).fill(9));
    const forged = fakeIo(STAFF);
    expect(
      await runCli(
        ['envelope', 'open', '--staff-secret', staffFile, '--author-pk', otherAuthor, envelopeFile],
        forged.io,
      ),
    ).toBe(1);
    expect(forged.out).toEqual([]);

    const wrong = fakeIo({ PANAH_STAFF_PASSWORD: 'not the password' });
    expect(await runCli(['envelope', 'open', '--staff-secret', staffFile, envelopeFile], wrong.io)).toBe(1);
    expect(wrong.err.join('\n')).toContain('wrong password');
    expect(wrong.out).toEqual([]);
  });
});
