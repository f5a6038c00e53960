import { CryptoFormatError, DecryptionError, SignatureError } from './errors';
import { b64uDecodedLength, concatBytes, fromB64u, kid, toB64u, utf8 } from './encoding';
import { decryptWith, openWrappedKey, unwrapKey } from './envelope';
import { Envelope, ENVELOPE_WK_BYTES, isUuid, parseEnvelope } from './envelope-validate';
import {
  BOX_PUBLIC_KEY_BYTES,
  BoxKeyPair,
  KID_BYTES,
  SIGN_PUBLIC_KEY_BYTES,
  SIGN_SECRET_KEY_BYTES,
  SIGNATURE_BYTES,
} from './keys';
import { sodium, wipe } from './sodium';

/**
 * A grant (spec §10): access to one envelope's K for one more reader, signed by the staff member
 * who could open it. Envelope v2 signs its recipient list, so a hand-over adds readers this way
 * instead of editing the envelope.
 */
export interface Grant {
  readonly envelopeId: string;
  /** kid of the new reader's X25519 public key. */
  readonly kid: string;
  /** b64u(crypto_box_seal(K, pk)), 80 bytes. */
  readonly wk: string;
  /** kid of the granter's Ed25519 public key. */
  readonly by: string;
  /** b64u(crypto_sign_detached(utf8("panah/v1/grant/" + envelopeId + "/" + kid + "\n") || wk, granterSignSk)). */
  readonly sig: string;
}

/** `utf8("panah/v1/grant/" + envelopeId + "/" + kid + "\n") || wk` (wk as its 80 raw bytes). */
export function grantSignedBytes(envelopeId: string, recipientKid: string, wk: Uint8Array): Uint8Array {
  if (!isUuid(envelopeId)) throw new CryptoFormatError('envelopeId', 'must be a lowercase UUID');
  if (wk.length !== ENVELOPE_WK_BYTES)
    throw new CryptoFormatError('wk', `must be ${ENVELOPE_WK_BYTES} bytes`);
  return concatBytes(utf8(`panah/v1/grant/${envelopeId}/${recipientKid}\n`), wk);
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export type GrantValidationResult =
  | { readonly ok: true; readonly grant: Grant }
  | { readonly ok: false; readonly errors: readonly CryptoFormatError[] };

/** Structural check of an untrusted grant (what a server can check without the granter's key). */
export function validateGrant(input: unknown): GrantValidationResult {
  if (!isObject(input)) return { ok: false, errors: [new CryptoFormatError('$', 'must be a JSON object')] };
  const errors: CryptoFormatError[] = [];
  if (Object.keys(input).some((k) => !['envelopeId', 'kid', 'wk', 'by', 'sig'].includes(k)))
    errors.push(new CryptoFormatError('$', 'has an unexpected property'));
  if (!isUuid(input.envelopeId)) errors.push(new CryptoFormatError('envelopeId', 'must be a lowercase UUID'));
  const exact = (field: 'kid' | 'wk' | 'by' | 'sig', length: number): void => {
    try {
      if (b64uDecodedLength(input[field], field) !== length)
        errors.push(new CryptoFormatError(field, `must decode to ${length} bytes`));
    } catch (error) {
      if (!(error instanceof CryptoFormatError)) throw error;
      errors.push(error);
    }
  };
  exact('kid', KID_BYTES);
  exact('wk', ENVELOPE_WK_BYTES);
  exact('by', KID_BYTES);
  exact('sig', SIGNATURE_BYTES);
  if (errors.length > 0) return { ok: false, errors };
  const g = input as Record<keyof Grant, string>;
  return { ok: true, grant: { envelopeId: g.envelopeId, kid: g.kid, wk: g.wk, by: g.by, sig: g.sig } };
}

export function parseGrant(input: unknown): Grant {
  const result = validateGrant(input);
  if (!result.ok) throw result.errors[0];
  return result.grant;
}

/** Throws SignatureError unless `grant` was signed by `granterSignPublicKey` (and `by` names it). */
export function verifyGrant(input: unknown, granterSignPublicKey: Uint8Array): Grant {
  const grant = parseGrant(input);
  if (granterSignPublicKey.length !== SIGN_PUBLIC_KEY_BYTES)
    throw new CryptoFormatError('granterSignPublicKey', 'must be 32 bytes');
  if (grant.by !== kid(granterSignPublicKey))
    throw new SignatureError('grant.by does not name the given key');
  const signed = grantSignedBytes(grant.envelopeId, grant.kid, fromB64u(grant.wk, 'wk'));
  if (!sodium().crypto_sign_verify_detached(fromB64u(grant.sig, 'sig'), signed, granterSignPublicKey))
    throw new SignatureError();
  return grant;
}

/** Looks up a staff sign key by its kid (from the server's staff key list or the directory). */
export type SignKeyLookup = (signKid: string) => Uint8Array | undefined;

/**
 * K of an envelope for this reader: its own recipient entry first, else a grant to its kid whose
 * signature verifies against a key `trustedGranter` knows. The caller must wipe the result.
 */
export function envelopeKeyFor(
  envelope: Envelope,
  reader: BoxKeyPair,
  grants: readonly Grant[] = [],
  trustedGranter?: SignKeyLookup,
): Uint8Array {
  const myKid = kid(reader.publicKey);
  if (envelope.recipients.some((r) => r.kid === myKid)) return unwrapKey(envelope, reader);
  for (const grant of grants) {
    if (grant.envelopeId !== envelope.id || grant.kid !== myKid || trustedGranter === undefined) continue;
    const pk = trustedGranter(grant.by);
    if (pk === undefined) continue;
    try {
      verifyGrant(grant, pk);
    } catch {
      continue;
    }
    const key = openWrappedKey(grant.wk, reader);
    try {
      wipe(decryptWith(envelope, key));
      return key;
    } catch (error) {
      wipe(key);
      if (!(error instanceof DecryptionError)) throw error;
    }
  }
  throw new DecryptionError('not a recipient of this envelope and no valid grant');
}

/** Opens an envelope as a recipient or through a verified grant. Does not verify the author. */
export function openEnvelopeWithGrants(
  envelope: unknown,
  reader: BoxKeyPair,
  grants: readonly Grant[],
  trustedGranter: SignKeyLookup,
): Uint8Array {
  const env = parseEnvelope(envelope);
  const key = envelopeKeyFor(env, reader, grants, trustedGranter);
  try {
    return decryptWith(env, key);
  } finally {
    wipe(key);
  }
}

export interface CreateGrantInput {
  readonly envelope: unknown;
  /** The granter's box key pair: a recipient of the envelope, or holder of a grant in `grants`. */
  readonly opener: BoxKeyPair;
  readonly grants?: readonly Grant[];
  readonly trustedGranter?: SignKeyLookup;
  /** X25519 public key of the new reader. */
  readonly recipientPublicKey: Uint8Array;
  /** The granter's Ed25519 secret key (64 bytes). */
  readonly granterSignSecretKey: Uint8Array;
}

/**
 * Seals the envelope's K to a new reader and signs the grant (spec §10). K is re-wrapped only after
 * it has decrypted `ct`, so a bogus key is never passed on.
 */
export function createGrant(input: CreateGrantInput): Grant {
  const s = sodium();
  const env = parseEnvelope(input.envelope);
  if (input.recipientPublicKey.length !== BOX_PUBLIC_KEY_BYTES)
    throw new CryptoFormatError('recipientPublicKey', 'must be a 32-byte X25519 public key');
  if (input.granterSignSecretKey.length !== SIGN_SECRET_KEY_BYTES)
    throw new CryptoFormatError('granterSignSecretKey', 'must be 64 bytes');
  const key = envelopeKeyFor(env, input.opener, input.grants, input.trustedGranter);
  try {
    wipe(decryptWith(env, key));
    const recipientKid = kid(input.recipientPublicKey);
    const wk = s.crypto_box_seal(key, input.recipientPublicKey);
    const sig = s.crypto_sign_detached(
      grantSignedBytes(env.id, recipientKid, wk),
      input.granterSignSecretKey,
    );
    return {
      envelopeId: env.id,
      kid: recipientKid,
      wk: toB64u(wk),
      by: kid(s.crypto_sign_ed25519_sk_to_pk(input.granterSignSecretKey)),
      sig: toB64u(sig),
    };
  } finally {
    wipe(key);
  }
}
