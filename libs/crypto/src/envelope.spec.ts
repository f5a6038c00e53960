import fc from 'fast-check';
import libsodium from 'libsodium-wrappers-sumo';
import { hex, randomPlaintext, sameBytes, unhex, vectors } from '../test-vectors';
import { fromB64u, toB64u } from './encoding';
import {
  envelopeAd,
  envelopeSignedBytes,
  openEnvelope,
  openVerifiedEnvelope,
  recipientsHash,
  sealEnvelope,
  sealEnvelopeWith,
  verifyAuthor,
  wrapForRecipient,
} from './envelope';
import { Envelope, EnvelopeKind } from './envelope-validate';
import { CryptoFormatError, DecryptionError, SignatureError } from './errors';
import { BoxKeyPair } from './keys';
import { cryptoReady } from './sodium';

beforeAll(() => cryptoReady());

const boxPair = (): BoxKeyPair => libsodium.crypto_box_keypair();
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('envelope test vectors (spec §1)', () => {
  describe.each(vectors.envelope.cases)('$kind $id', (c) => {
    const kind = c.kind as EnvelopeKind;
    const recipientPks = c.recipients.map((r) => unhex(r.pkHex));

    it('builds the same ad', () => {
      expect(hex(envelopeAd(kind, c.id))).toBe(c.adHex);
    });

    it('hashes the recipients and builds the signed bytes of envelope v2 exactly', () => {
      expect(hex(recipientsHash(c.envelope.recipients))).toBe(c.rhHex);
      const signed = envelopeSignedBytes(
        unhex(c.adHex),
        unhex(c.nonceHex),
        fromB64u(c.envelope.ct),
        c.envelope.recipients,
      );
      expect(hex(signed)).toBe(c.signedHex);
      // Ed25519 is deterministic: the same bytes under the same key give the vector's sig.
      expect(toB64u(libsodium.crypto_sign_detached(signed, unhex(c.authorSkHex)))).toBe(
        c.envelope.author.sig,
      );
    });

    it('produces the vector nonce, ct and kids from the same K and nonce, and a sig over its own recipients', () => {
      const env = sealEnvelopeWith(
        {
          kind,
          id: c.id,
          plaintext: c.plaintext,
          recipientPublicKeys: recipientPks,
          authorSignSecretKey: unhex(c.authorSkHex),
        },
        unhex(c.keyHex),
        unhex(c.nonceHex),
      );
      const { recipients, author, ...rest } = env;
      const { recipients: expectedRecipients, author: expectedAuthor, ...expectedRest } = c.envelope;
      expect(rest).toEqual(expectedRest);
      expect(author.kid).toBe(expectedAuthor.kid);
      expect(() => verifyAuthor(env, unhex(c.authorPkHex))).not.toThrow();
      expect(recipients.map((r) => r.kid)).toEqual(expectedRecipients.map((r) => r.kid));
      // wk is randomised (crypto_box_seal): check that ours opens to K with the raw primitive.
      recipients.forEach((r, i) => {
        const k = libsodium.crypto_box_seal_open(
          fromB64u(r.wk),
          recipientPks[i],
          unhex(c.recipients[i].skHex),
        );
        expect(hex(k)).toBe(c.keyHex);
      });
    });

    it('verifies the vector author and opens the vector for every recipient', () => {
      expect(() => verifyAuthor(c.envelope, unhex(c.authorPkHex))).not.toThrow();
      for (const r of c.recipients) {
        const pair = { publicKey: unhex(r.pkHex), privateKey: unhex(r.skHex) };
        expect(text(openVerifiedEnvelope(c.envelope, pair, unhex(c.authorPkHex)))).toBe(c.plaintext);
      }
    });
  });
});

function fixture(
  size = 64,
  recipientCount = 2,
): { env: Envelope; readers: BoxKeyPair[]; authorPk: Uint8Array; plaintext: Uint8Array } {
  const readers = Array.from({ length: recipientCount }, boxPair);
  const author = libsodium.crypto_sign_keypair();
  const plaintext = randomPlaintext(size);
  const env = sealEnvelope({
    kind: 'report',
    id: crypto.randomUUID(),
    plaintext,
    recipientPublicKeys: readers.map((r) => r.publicKey),
    authorSignSecretKey: author.privateKey,
  });
  return { env, readers, authorPk: author.publicKey, plaintext };
}

function flipByte(b64u: string, index: number): string {
  const bytes = fromB64u(b64u);
  bytes[index % bytes.length] ^= 1 << (index % 8) || 1;
  return toB64u(bytes);
}

describe('envelope properties', () => {
  it('round-trips random plaintexts of 0 B .. 64 KiB for every recipient', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 65536 }),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom<EnvelopeKind>('report', 'message', 'note', 'checkin'),
        (size, n, kind) => {
          const readers = Array.from({ length: n }, boxPair);
          const author = libsodium.crypto_sign_keypair();
          const plaintext = randomPlaintext(size);
          const env = sealEnvelope({
            kind,
            id: crypto.randomUUID(),
            plaintext,
            recipientPublicKeys: readers.map((r) => r.publicKey),
            authorSignSecretKey: author.privateKey,
          });
          for (const reader of readers)
            expect(sameBytes(openVerifiedEnvelope(env, reader, author.publicKey), plaintext)).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('round-trips a handful of large envelopes up to 5 MiB', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1024 * 1024, max: 5 * 1024 * 1024 }), (size) => {
        const { env, readers, authorPk, plaintext } = fixture(size, 1);
        expect(sameBytes(openVerifiedEnvelope(env, readers[0], authorPk), plaintext)).toBe(true);
      }),
      { numRuns: 4 },
    );
  });

  it('fails to open or verify after flipping any byte of nonce, ct or sig', () => {
    const { env, readers, authorPk } = fixture(300);
    fc.assert(
      fc.property(fc.constantFrom('nonce', 'ct', 'sig'), fc.nat(), (field, index) => {
        const tampered: Envelope =
          field === 'sig'
            ? { ...env, author: { ...env.author, sig: flipByte(env.author.sig, index) } }
            : { ...env, [field]: flipByte(env[field as 'nonce' | 'ct'], index) };
        expect(() => verifyAuthor(tampered, authorPk)).toThrow(SignatureError);
        if (field !== 'sig') expect(() => openEnvelope(tampered, readers[0])).toThrow(DecryptionError);
      }),
      { numRuns: 200 },
    );
  });

  it('fails to open after flipping any byte of the reader wk (other readers unaffected)', () => {
    const { env, readers, plaintext } = fixture(100);
    fc.assert(
      fc.property(fc.nat(), (index) => {
        const tampered: Envelope = {
          ...env,
          recipients: [
            { ...env.recipients[0], wk: flipByte(env.recipients[0].wk, index) },
            env.recipients[1],
          ],
        };
        expect(() => openEnvelope(tampered, readers[0])).toThrow(DecryptionError);
        expect(openEnvelope(tampered, readers[1])).toEqual(plaintext);
      }),
      { numRuns: 100 },
    );
  });

  it('does not open for a non-recipient, even one that copies a recipient kid', () => {
    const { env } = fixture();
    const outsider = boxPair();
    expect(() => openEnvelope(env, outsider)).toThrow('not a recipient');
    const forged = { publicKey: fromB64u(toB64u(outsider.publicKey)), privateKey: outsider.privateKey };
    const swapped: Envelope = {
      ...env,
      recipients: [{ kid: env.recipients[0].kid, wk: env.recipients[0].wk }],
    };
    expect(() => openEnvelope(swapped, forged)).toThrow(DecryptionError);
  });

  it('rejects a signature checked against another author or an envelope moved to another id or kind', () => {
    const { env, authorPk } = fixture();
    expect(() => verifyAuthor(env, libsodium.crypto_sign_keypair().publicKey)).toThrow(
      'author.kid does not name the given key',
    );
    expect(() => verifyAuthor({ ...env, id: crypto.randomUUID() }, authorPk)).toThrow(SignatureError);
    expect(() => verifyAuthor({ ...env, kind: 'note' }, authorPk)).toThrow(SignatureError);
  });

  it('v2: a dropped, added, reordered or altered recipient breaks the author signature', () => {
    const { env, readers, authorPk } = fixture(50, 3);
    const newcomer = boxPair();
    const extra = wrapForRecipient(env, readers[1], newcomer.publicKey);
    const [a, b, c] = env.recipients;
    for (const recipients of [
      [a, b],
      [a, b, c, extra],
      [b, a, c],
      [a, b, { ...c, wk: env.recipients[0].wk }],
    ]) {
      expect(() => verifyAuthor({ ...env, recipients }, authorPk)).toThrow(SignatureError);
    }
    expect(() => verifyAuthor(env, authorPk)).not.toThrow();
    expect(() => wrapForRecipient(env, readers[0], readers[1].publicKey)).toThrow('already holds this kid');
    expect(() => wrapForRecipient(env, boxPair(), newcomer.publicKey)).toThrow(DecryptionError);
  });

  it('refuses a v1 envelope with a reason that names the retired version', () => {
    const { env } = fixture();
    expect(() => verifyAuthor({ ...env, v: 1 }, libsodium.crypto_sign_keypair().publicKey)).toThrow(
      'v: envelope v1 is retired',
    );
  });

  it('refuses to re-wrap a key that does not decrypt ct', () => {
    const { env, readers } = fixture();
    const other = fixture();
    // Put another envelope's wk for reader 0's kid: opens to a K that fails on this ct.
    const mixed: Envelope = { ...env, ct: other.env.ct };
    expect(() => wrapForRecipient(mixed, readers[0], boxPair().publicKey)).toThrow(DecryptionError);
  });

  it('checks seal inputs', () => {
    const author = libsodium.crypto_sign_keypair().privateKey;
    const pk = boxPair().publicKey;
    const base = {
      kind: 'report' as const,
      id: crypto.randomUUID(),
      plaintext: 'x',
      authorSignSecretKey: author,
    };
    expect(() => sealEnvelope({ ...base, recipientPublicKeys: [] })).toThrow(CryptoFormatError);
    expect(() => sealEnvelope({ ...base, recipientPublicKeys: [pk, pk] })).toThrow(
      'recipients[1]: is a duplicate',
    );
    expect(() =>
      sealEnvelope({ ...base, recipientPublicKeys: Array.from({ length: 65 }, () => boxPair().publicKey) }),
    ).toThrow(CryptoFormatError);
    expect(() => sealEnvelope({ ...base, id: 'not-a-uuid', recipientPublicKeys: [pk] })).toThrow(
      'id: must be a lowercase UUID',
    );
    expect(
      sealEnvelope({ ...base, recipientPublicKeys: Array.from({ length: 64 }, () => boxPair().publicKey) })
        .recipients,
    ).toHaveLength(64);
  });
});
