import libsodium from 'libsodium-wrappers-sumo';
import { hex, unhex, vectors } from '../test-vectors';
import { fromB64u, kid, toB64u } from './encoding';
import { sealEnvelope } from './envelope';
import { CryptoFormatError, DecryptionError, SignatureError } from './errors';
import {
  createGrant,
  envelopeKeyFor,
  grantSignedBytes,
  openEnvelopeWithGrants,
  validateGrant,
  verifyGrant,
} from './grant';
import { parseEnvelope } from './envelope-validate';
import { cryptoReady } from './sodium';

beforeAll(() => cryptoReady());

const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const v = (): typeof vectors.grant => vectors.grant;

describe('grant test vectors (spec §10)', () => {
  it('builds the signed bytes and the deterministic signature exactly', () => {
    const g = v().grant;
    const signed = grantSignedBytes(g.envelopeId, g.kid, fromB64u(g.wk));
    expect(hex(signed)).toBe(v().signedHex);
    expect(toB64u(libsodium.crypto_sign_detached(signed, unhex(v().granterSkHex)))).toBe(g.sig);
    expect(g.by).toBe(kid(unhex(v().granterPkHex)));
  });

  it('verifies the vector grant and opens the vector envelope through it', () => {
    expect(() => verifyGrant(v().grant, unhex(v().granterPkHex))).not.toThrow();
    const reader = { publicKey: unhex(v().readerPkHex), privateKey: unhex(v().readerSkHex) };
    const lookup = (k: string): Uint8Array | undefined =>
      k === v().grant.by ? unhex(v().granterPkHex) : undefined;
    expect(text(openEnvelopeWithGrants(v().envelope, reader, [v().grant], lookup))).toBe(
      vectors.envelope.cases[0].plaintext,
    );
    expect(hex(envelopeKeyFor(parseEnvelope(v().envelope), reader, [v().grant], lookup))).toBe(v().keyHex);
  });
});

describe('grants', () => {
  const setup = () => {
    const reader = libsodium.crypto_box_keypair();
    const granterBox = libsodium.crypto_box_keypair();
    const granterSign = libsodium.crypto_sign_keypair();
    const author = libsodium.crypto_sign_keypair();
    const envelope = sealEnvelope({
      kind: 'note',
      id: crypto.randomUUID(),
      plaintext: 'n',
      recipientPublicKeys: [granterBox.publicKey],
      authorSignSecretKey: author.privateKey,
    });
    const grant = createGrant({
      envelope,
      opener: granterBox,
      recipientPublicKey: reader.publicKey,
      granterSignSecretKey: granterSign.privateKey,
    });
    const lookup = (k: string): Uint8Array | undefined =>
      k === kid(granterSign.publicKey) ? granterSign.publicKey : undefined;
    return { reader, granterBox, granterSign, envelope, grant, lookup };
  };

  it('lets the new reader open the envelope; a chained grant from a grantee works too', () => {
    const { reader, envelope, grant, lookup } = setup();
    expect(text(openEnvelopeWithGrants(envelope, reader, [grant], lookup))).toBe('n');
    const third = libsodium.crypto_box_keypair();
    const thirdSign = libsodium.crypto_sign_keypair();
    const chained = createGrant({
      envelope,
      opener: reader,
      grants: [grant],
      trustedGranter: lookup,
      recipientPublicKey: third.publicKey,
      granterSignSecretKey: thirdSign.privateKey,
    });
    const both = (k: string): Uint8Array | undefined =>
      lookup(k) ?? (k === kid(thirdSign.publicKey) ? thirdSign.publicKey : undefined);
    expect(text(openEnvelopeWithGrants(envelope, third, [grant, chained], both))).toBe('n');
  });

  it('ignores grants from an unknown signer, with a bad signature, or for another envelope', () => {
    const { reader, envelope, grant, lookup } = setup();
    expect(() => openEnvelopeWithGrants(envelope, reader, [grant], () => undefined)).toThrow(DecryptionError);
    const badSig = { ...grant, sig: toB64u(new Uint8Array(64)) };
    expect(() => openEnvelopeWithGrants(envelope, reader, [badSig], lookup)).toThrow(DecryptionError);
    expect(() => verifyGrant(badSig, lookup(grant.by)!)).toThrow(SignatureError);
    const moved = { ...grant, envelopeId: crypto.randomUUID() };
    expect(() => verifyGrant(moved, lookup(grant.by)!)).toThrow(SignatureError);
    expect(() => verifyGrant(grant, libsodium.crypto_sign_keypair().publicKey)).toThrow(
      'grant.by does not name the given key',
    );
  });

  it('refuses to grant from a key that cannot open the envelope', () => {
    const { envelope } = setup();
    const stranger = libsodium.crypto_box_keypair();
    expect(() =>
      createGrant({
        envelope,
        opener: stranger,
        recipientPublicKey: stranger.publicKey,
        granterSignSecretKey: libsodium.crypto_sign_keypair().privateKey,
      }),
    ).toThrow(DecryptionError);
  });

  it('validates the structure and names each bad field', () => {
    const { grant } = setup();
    expect(validateGrant(grant)).toEqual({ ok: true, grant });
    const fields = (input: unknown): string[] => {
      const r = validateGrant(input);
      return r.ok ? [] : r.errors.map((e) => e.field);
    };
    expect(fields({ ...grant, extra: 1 })).toEqual(['$']);
    expect(fields({ ...grant, envelopeId: 'x', wk: toB64u(new Uint8Array(79)), sig: 'a+b' })).toEqual([
      'envelopeId',
      'wk',
      'sig',
    ]);
    expect(fields('x')).toEqual(['$']);
    expect(() => grantSignedBytes(grant.envelopeId, grant.kid, new Uint8Array(3))).toThrow(CryptoFormatError);
  });
});
