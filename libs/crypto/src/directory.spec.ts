import libsodium from 'libsodium-wrappers-sumo';
import { unhex, vectors } from '../test-vectors';
import {
  buildDirectoryPayload,
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
