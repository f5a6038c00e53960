import libsodium from 'libsodium-wrappers-sumo';
import { vectors } from '../test-vectors';
import { CryptoFormatError } from './errors';
import { toB64u } from './encoding';
import { parseEnvelope, validateEnvelope } from './envelope-validate';
import { cryptoReady } from './sodium';

beforeAll(() => cryptoReady());

const good = vectors.envelope.cases[0].envelope;
const b = (n: number): string => toB64u(new Uint8Array(n).fill(7));

function fieldsOf(input: unknown, options = {}): string[] {
  const result = validateEnvelope(input, options);
  return result.ok ? [] : result.errors.map((e) => e.field);
}

describe('validateEnvelope (server-side structure check, spec §1)', () => {
  it('accepts every vector envelope and returns a clean copy', () => {
    for (const c of vectors.envelope.cases) {
      const result = validateEnvelope(JSON.parse(JSON.stringify(c.envelope)));
      expect(result).toEqual({ ok: true, envelope: c.envelope });
    }
  });

  it.each([
    ['v', { ...good, v: 1 }],
    ['v', { ...good, v: 3 }],
    ['kind', { ...good, kind: 'secret' }],
    ['id', { ...good, id: 'B0B5F8C2-7D1A-4C3B-9E6F-1A2B3C4D5E6F' }],
    ['id', { ...good, id: 42 }],
    ['nonce', { ...good, nonce: b(23) }],
    ['nonce', { ...good, nonce: `${good.nonce}=` }],
    ['ct', { ...good, ct: b(15) }],
    ['ct', { ...good, ct: 'a+b/' }],
    ['recipients', { ...good, recipients: [] }],
    ['recipients', { ...good, recipients: 'x' }],
    ['recipients[1].wk', { ...good, recipients: [good.recipients[0], { ...good.recipients[1], wk: b(79) }] }],
    ['recipients[0].kid', { ...good, recipients: [{ ...good.recipients[0], kid: b(32) }] }],
    ['recipients[1].kid', { ...good, recipients: [good.recipients[0], good.recipients[0]] }],
    ['recipients[0]', { ...good, recipients: [{ ...good.recipients[0], extra: 1 }] }],
    ['recipients[0]', { ...good, recipients: [null] }],
    ['author.sig', { ...good, author: { ...good.author, sig: b(63) } }],
    ['author.kid', { ...good, author: { sig: good.author.sig } }],
    ['author', { ...good, author: [] }],
    ['$', { ...good, plaintext: 'leak' }],
  ])('names %s when it is wrong', (field, input) => {
    expect(fieldsOf(input)).toEqual([field]);
  });

  it('rejects non-objects', () => {
    for (const input of [null, [], 'x', 1, undefined]) expect(fieldsOf(input)).toEqual(['$']);
  });

  it('reports every problem at once', () => {
    expect(
      fieldsOf({ ...good, v: 0, nonce: 'x', recipients: [good.recipients[0], { kid: 'A', wk: b(80) }] }),
    ).toEqual(['v', 'nonce', 'recipients[1].kid']);
  });

  it('accepts 64 recipients and rejects 65', () => {
    const many = (n: number): unknown[] =>
      Array.from({ length: n }, () => ({ kid: toB64u(libsodium.randombytes_buf(16)), wk: b(80) }));
    expect(fieldsOf({ ...good, recipients: many(64) })).toEqual([]);
    expect(fieldsOf({ ...good, recipients: many(65) })).toEqual(['recipients']);
  });

  it('enforces the resource id, the accepted kind and the size limit', () => {
    expect(fieldsOf(good, { expectedId: good.id, expectedKind: 'report' })).toEqual([]);
    expect(fieldsOf(good, { expectedId: '00000000-0000-4000-8000-000000000000' })).toEqual(['id']);
    expect(fieldsOf(good, { expectedKind: 'message' })).toEqual(['kind']);
    expect(fieldsOf({ ...good, ct: b(100) }, { maxCiphertextBytes: 99 })).toEqual(['ct']);
    expect(fieldsOf({ ...good, ct: b(1000) }, { maxCiphertextBytes: 99 })).toEqual(['ct']);
  });

  it('never puts submitted values in error messages', () => {
    const secret = 'SECRET-NARRATIVE';
    const result = validateEnvelope({ ...good, kind: secret, id: secret, nonce: secret, [secret]: 1 });
    expect(result.ok).toBe(false);
    if (!result.ok) for (const e of result.errors) expect(e.message).not.toContain(secret);
  });

  it('parseEnvelope throws the first CryptoFormatError', () => {
    expect(() => parseEnvelope({ ...good, nonce: b(1) })).toThrow(CryptoFormatError);
    expect(() => parseEnvelope({ ...good, nonce: b(1) })).toThrow('nonce: must decode to 24 bytes');
  });
});
