import libsodium from 'libsodium-wrappers-sumo';
import { unhex, vectors } from '../test-vectors';
import {
  buildDirectoryPayload,
  directoryStaffKey,
  DirectoryPayloadInput,
  intakePublicKeys,
  signDirectory,
  verifyDirectory,
} from './directory';
import { toB64u, utf8 } from './encoding';
import { DirectoryError, DirectoryRejection } from './errors';
import { cryptoReady } from './sodium';

beforeAll(() => cryptoReady());

const v = vectors.directory;
const rootPk = unhex(v.rootPkHex);
const rootSk = unhex(v.rootSkHex);
const options = { now: new Date(v.validAt), deploymentId: 'panah-test-deployment-1' };

function vectorInput(): DirectoryPayloadInput {
  return {
    serial: 7,
    issuedAt: new Date('2026-01-01T00:00:00.000Z'),
    expiresAt: new Date('2026-02-01T00:00:00.000Z'),
    deploymentId: 'panah-test-deployment-1',
    rootPublicKey: rootPk,
    intake: [
      { publicKey: unhex(v.intakePkHex[0]), role: 'caseworker', label: 'Intake duty — Maryam' },
      { publicKey: unhex(v.intakePkHex[1]), role: 'recovery', label: 'Organisation recovery key' },
    ],
  };
}

function rejection(fn: () => unknown): DirectoryRejection | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (error instanceof DirectoryError) return error.reason;
    throw error;
  }
}

/** Signs arbitrary payload text with the vector root key. */
const signed = (payload: unknown, sk = rootSk): unknown =>
  signDirectory(utf8(typeof payload === 'string' ? payload : JSON.stringify(payload)), sk);

describe('signed key directory (spec §5)', () => {
  it('builds the exact vector payload bytes and signature', () => {
    const p = buildDirectoryPayload(vectorInput());
    expect(new TextDecoder().decode(p)).toBe(v.payloadJson);
    expect(signDirectory(p, rootSk)).toEqual(v.document);
  });

  it('accepts the vector document and returns the intake keys', () => {
    const payload = verifyDirectory(v.document, rootPk, { ...options, minSerial: 7 });
    expect(payload.serial).toBe(7);
    expect(payload.root).toBe(v.rootKid);
    expect(intakePublicKeys(payload).map((k) => libsodium.to_hex(k))).toEqual(v.intakePkHex);
  });

  it('rejects an expired directory, a rollback and a wrong deployment', () => {
    expect(
      rejection(() =>
        verifyDirectory(v.document, rootPk, { ...options, now: new Date('2026-02-01T00:00:00.000Z') }),
      ),
    ).toBe('expired');
    expect(rejection(() => verifyDirectory(v.document, rootPk, { ...options, minSerial: 8 }))).toBe(
      'serial_rollback',
    );
    expect(rejection(() => verifyDirectory(v.document, rootPk, { ...options, deploymentId: 'other' }))).toBe(
      'wrong_deployment',
    );
  });

  it('rejects another root key, a tampered payload and a tampered signature', () => {
    expect(
      rejection(() => verifyDirectory(v.document, libsodium.crypto_sign_keypair().publicKey, options)),
    ).toBe('bad_signature');
    const p = utf8(v.payloadJson);
    p[20] ^= 1;
    expect(rejection(() => verifyDirectory({ ...v.document, payload: toB64u(p) }, rootPk, options))).toBe(
      'bad_signature',
    );
    const sig = libsodium.from_base64(v.document.sig, libsodium.base64_variants.URLSAFE_NO_PADDING);
    sig[0] ^= 1;
    expect(rejection(() => verifyDirectory({ ...v.document, sig: toB64u(sig) }, rootPk, options))).toBe(
      'bad_signature',
    );
  });

  it('verifies the signature before parsing: unsigned garbage is bad_signature, not bad_payload', () => {
    expect(
      rejection(() =>
        verifyDirectory({ v: 1, payload: toB64u(utf8('{not json')), sig: v.document.sig }, rootPk, options),
      ),
    ).toBe('bad_signature');
    expect(rejection(() => verifyDirectory(signed('{not json'), rootPk, options))).toBe('bad_payload');
  });

  it('rejects an empty intake list, a root kid naming another key and inconsistent intake kids', () => {
    const base = JSON.parse(v.payloadJson) as Record<string, unknown> & { intake: Record<string, unknown>[] };
    expect(rejection(() => verifyDirectory(signed({ ...base, intake: [] }), rootPk, options))).toBe(
      'empty_intake',
    );
    expect(
      rejection(() => verifyDirectory(signed({ ...base, root: base.intake[0].kid }), rootPk, options)),
    ).toBe('wrong_root');
    const swapped = [{ ...base.intake[0], kid: base.intake[1].kid }, base.intake[1]];
    expect(rejection(() => verifyDirectory(signed({ ...base, intake: swapped }), rootPk, options))).toBe(
      'bad_payload',
    );
    expect(
      rejection(() =>
        verifyDirectory(signed({ ...base, intake: [base.intake[0], base.intake[0]] }), rootPk, options),
      ),
    ).toBe('bad_payload');
    expect(
      rejection(() =>
        verifyDirectory(signed({ ...base, intake: [{ ...base.intake[0], role: 'admin' }] }), rootPk, options),
      ),
    ).toBe('bad_payload');
    expect(rejection(() => verifyDirectory(signed({ ...base, serial: -1 }), rootPk, options))).toBe(
      'bad_payload',
    );
    expect(
      rejection(() => verifyDirectory(signed({ ...base, expiresAt: 'tomorrow' }), rootPk, options)),
    ).toBe('bad_payload');
  });

  it('rejects malformed documents', () => {
    for (const doc of [
      null,
      [],
      { ...v.document, v: 2 },
      { ...v.document, sig: 'short' },
      { ...v.document, payload: 'a+b' },
    ]) {
      expect(rejection(() => verifyDirectory(doc, rootPk, options))).toBe('bad_format');
    }
  });

  it('refuses to build an unusable directory', () => {
    expect(() => buildDirectoryPayload({ ...vectorInput(), intake: [] })).toThrow('intake');
    expect(() =>
      buildDirectoryPayload({ ...vectorInput(), expiresAt: new Date('2025-01-01T00:00:00Z') }),
    ).toThrow('expiresAt');
    const dup = vectorInput().intake[0];
    expect(() => buildDirectoryPayload({ ...vectorInput(), intake: [dup, dup] })).toThrow('duplicate');
  });
});

describe('the staff list of the signed directory (spec §9)', () => {
  const w = v.withStaff;
  const staffInput = (): DirectoryPayloadInput => ({
    ...vectorInput(),
    staff: w.staffSignPkHex.map((pk, i) => ({ signPk: unhex(pk), label: w.staffLabels[i] })),
  });
  const payloadOf = (): Record<string, unknown> => JSON.parse(w.payloadJson) as Record<string, unknown>;

  it('builds the exact vector payload bytes and signature with the staff list after the intake keys', () => {
    const p = buildDirectoryPayload(staffInput());
    expect(new TextDecoder().decode(p)).toBe(w.payloadJson);
    expect(signDirectory(p, rootSk)).toEqual(w.document);
  });

  it('verifies the vector and finds a staff sign key by its kid', () => {
    const payload = verifyDirectory(w.document, rootPk, options);
    expect(payload.staff?.map((e) => e.label)).toEqual(w.staffLabels);
    const kid = payload.staff?.[0].kid ?? '';
    expect(libsodium.to_hex(directoryStaffKey(payload, kid)?.signPk ?? new Uint8Array())).toBe(
      w.staffSignPkHex[0],
    );
    expect(directoryStaffKey(payload, 'someone-else')).toBeUndefined();
    // A directory without the list lists nobody.
    expect(verifyDirectory(v.document, rootPk, options).staff).toBeUndefined();
  });

  it('rejects a staff entry whose kid is not its key, a kid twice, a bad key or a missing label', () => {
    const [entry] = payloadOf().staff as Record<string, unknown>[];
    const cases: [unknown, string][] = [
      [{ ...entry, kid: 'AAAAAAAAAAAAAAAAAAAAAA' }, 'staff[0].kid'],
      [{ ...entry, signPk: toB64u(new Uint8Array(31)) }, 'staff[0].signPk'],
      [{ ...entry, label: 7 }, 'staff[0].label'],
    ];
    for (const [bad, field] of cases) {
      const doc = signed({ ...payloadOf(), staff: [bad] });
      expect(() => verifyDirectory(doc, rootPk, options)).toThrow(field);
    }
    expect(() => verifyDirectory(signed({ ...payloadOf(), staff: [entry, entry] }), rootPk, options)).toThrow(
      'staff[1].kid',
    );
    expect(rejection(() => verifyDirectory(signed({ ...payloadOf(), staff: {} }), rootPk, options))).toBe(
      'bad_payload',
    );
    const dup = staffInput().staff?.[0];
    expect(() => buildDirectoryPayload({ ...staffInput(), staff: dup ? [dup, dup] : [] })).toThrow(
      'duplicate',
    );
    expect(() =>
      buildDirectoryPayload({ ...staffInput(), staff: [{ signPk: new Uint8Array(31), label: 'x' }] }),
    ).toThrow('staff[0].signPk');
  });
});
