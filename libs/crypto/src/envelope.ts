import { CryptoFormatError, DecryptionError, SignatureError } from './errors';
import { concatBytes, fromB64u, kid, randomBytes, toB64u, utf8 } from './encoding';
import {
  ENVELOPE_MAX_RECIPIENTS,
  ENVELOPE_NONCE_BYTES,
  ENVELOPE_VERSION,
  Envelope,
  EnvelopeKind,
  EnvelopeRecipient,
  isEnvelopeKind,
  isUuid,
  parseEnvelope,
} from './envelope-validate';
import { BOX_PUBLIC_KEY_BYTES, BoxKeyPair, SIGN_PUBLIC_KEY_BYTES, SIGN_SECRET_KEY_BYTES } from './keys';
import { sodium, wipe } from './sodium';

/** `ad = utf8("panah/v1/" + kind + "/" + id)` (spec §1). */
export function envelopeAd(kind: EnvelopeKind, id: string): Uint8Array {
  if (!isEnvelopeKind(kind)) throw new CryptoFormatError('kind', 'is not an envelope kind');
  if (!isUuid(id)) throw new CryptoFormatError('id', 'must be a lowercase UUID');
  return utf8(`panah/v1/${kind}/${id}`);
}

/**
 * `rh = crypto_generichash(32, utf8(kid1 + "." + wk1 + "\n" + …))` over the recipients in the
 * order the envelope lists them, kid and wk as their b64u text (spec §1, envelope v2).
 */
export function recipientsHash(recipients: readonly EnvelopeRecipient[]): Uint8Array {
  const lines = recipients.map((r) => `${r.kid}.${r.wk}\n`).join('');
  return sodium().crypto_generichash(32, utf8(lines), null);
}

/** The bytes the author signs (envelope v2): `ad || 0x00 || nonce || ct || 0x00 || rh`. */
export function envelopeSignedBytes(
  ad: Uint8Array,
  nonce: Uint8Array,
  ct: Uint8Array,
  recipients: readonly EnvelopeRecipient[],
): Uint8Array {
  const zero = new Uint8Array([0]);
  return concatBytes(ad, zero, nonce, ct, zero, recipientsHash(recipients));
}

export interface SealEnvelopeInput {
  readonly kind: EnvelopeKind;
  /** UUID chosen by the author; also the id of the API resource. */
  readonly id: string;
  /** UTF-8 JSON (a string is encoded as UTF-8). */
  readonly plaintext: Uint8Array | string;
  /** X25519 public keys of the readers: 1 to 64, distinct. */
  readonly recipientPublicKeys: readonly Uint8Array[];
  /** The author's Ed25519 secret key (64 bytes); its public half is read from the key. */
  readonly authorSignSecretKey: Uint8Array;
}

/** Encrypts and signs an envelope with a fresh random K and nonce. */
export function sealEnvelope(input: SealEnvelopeInput): Envelope {
  const s = sodium();
  const key = s.crypto_aead_xchacha20poly1305_ietf_keygen();
  try {
    return sealEnvelopeWith(input, key, randomBytes(ENVELOPE_NONCE_BYTES));
  } finally {
    wipe(key);
  }
}

/**
 * Deterministic core of sealEnvelope. Internal: exported for the test vectors only, never from
 * index.ts, because reusing a (K, nonce) pair would be catastrophic.
 */
export function sealEnvelopeWith(input: SealEnvelopeInput, key: Uint8Array, nonce: Uint8Array): Envelope {
  const s = sodium();
  const { kind, id, recipientPublicKeys: pks, authorSignSecretKey: sk } = input;
  const ad = envelopeAd(kind, id);
  if (pks.length < 1 || pks.length > ENVELOPE_MAX_RECIPIENTS) {
    throw new CryptoFormatError('recipients', `must hold 1 to ${ENVELOPE_MAX_RECIPIENTS} public keys`);
  }
  const kids = new Set<string>();
  pks.forEach((pk, i) => {
    if (pk.length !== BOX_PUBLIC_KEY_BYTES)
      throw new CryptoFormatError(`recipients[${i}]`, 'must be a 32-byte X25519 public key');
    const k = kid(pk);
    if (kids.has(k)) throw new CryptoFormatError(`recipients[${i}]`, 'is a duplicate');
    kids.add(k);
  });
  if (sk.length !== SIGN_SECRET_KEY_BYTES)
    throw new CryptoFormatError('authorSignSecretKey', 'must be 64 bytes');
  const plaintext = typeof input.plaintext === 'string' ? utf8(input.plaintext) : input.plaintext;
  const ct = s.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, null, nonce, key);
  const recipients = pks.map((pk) => ({ kid: kid(pk), wk: toB64u(s.crypto_box_seal(key, pk)) }));
  const sig = s.crypto_sign_detached(envelopeSignedBytes(ad, nonce, ct, recipients), sk);
  return {
    v: ENVELOPE_VERSION,
    kind,
    id,
    nonce: toB64u(nonce),
    ct: toB64u(ct),
    recipients,
    author: { kid: kid(s.crypto_sign_ed25519_sk_to_pk(sk)), sig: toB64u(sig) },
  };
}

/**
 * Checks that `envelope` was signed by `authorSignPublicKey` (and that author.kid names that key).
 * Throws CryptoFormatError for a malformed envelope, SignatureError otherwise; returns on success.
 */
export function verifyAuthor(envelope: unknown, authorSignPublicKey: Uint8Array): void {
  const env = parseEnvelope(envelope);
  if (authorSignPublicKey.length !== SIGN_PUBLIC_KEY_BYTES)
    throw new CryptoFormatError('authorSignPublicKey', 'must be 32 bytes');
  if (env.author.kid !== kid(authorSignPublicKey))
    throw new SignatureError('author.kid does not name the given key');
  const signed = envelopeSignedBytes(
    envelopeAd(env.kind, env.id),
    fromB64u(env.nonce, 'nonce'),
    fromB64u(env.ct, 'ct'),
    env.recipients,
  );
  if (
    !sodium().crypto_sign_verify_detached(fromB64u(env.author.sig, 'author.sig'), signed, authorSignPublicKey)
  ) {
    throw new SignatureError();
  }
}

/** Recovers K from this recipient's wk. The caller must wipe the result. */
export function unwrapKey(env: Envelope, recipient: BoxKeyPair): Uint8Array {
  const myKid = kid(recipient.publicKey);
  const entry = env.recipients.find((r) => r.kid === myKid);
  if (entry === undefined) throw new DecryptionError('not a recipient of this envelope');
  return openWrappedKey(entry.wk, recipient);
}

/** K from a wk (an envelope recipient's or a grant's). The caller must wipe the result. */
export function openWrappedKey(wk: string, recipient: BoxKeyPair): Uint8Array {
  let key: Uint8Array;
  try {
    key = sodium().crypto_box_seal_open(fromB64u(wk, 'wk'), recipient.publicKey, recipient.privateKey);
  } catch {
    throw new DecryptionError();
  }
  if (key.length !== 32) {
    wipe(key);
    throw new DecryptionError();
  }
  return key;
}

/** Decrypts ct with K (internal: envelope.ts and grant.ts). */
export function decryptWith(env: Envelope, key: Uint8Array): Uint8Array {
  try {
    return sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      fromB64u(env.ct, 'ct'),
      envelopeAd(env.kind, env.id),
      fromB64u(env.nonce, 'nonce'),
      key,
    );
  } catch {
    throw new DecryptionError();
  }
}

/**
 * Decrypts an envelope for one recipient. Does NOT check the author: readers must call
 * verifyAuthor first, or use openVerifiedEnvelope. Throws DecryptionError if this key pair is not a
 * recipient or anything was tampered with.
 */
export function openEnvelope(envelope: unknown, recipient: BoxKeyPair): Uint8Array {
  const env = parseEnvelope(envelope);
  const key = unwrapKey(env, recipient);
  try {
    return decryptWith(env, key);
  } finally {
    wipe(key);
  }
}

/** verifyAuthor, then openEnvelope: what a reader should normally call. */
export function openVerifiedEnvelope(
  envelope: unknown,
  recipient: BoxKeyPair,
  authorSignPublicKey: Uint8Array,
): Uint8Array {
  verifyAuthor(envelope, authorSignPublicKey);
  return openEnvelope(envelope, recipient);
}

/**
 * Re-wraps K for a new reader. Returns the `{kid, wk}`; in envelope v2 the author's signature
 * covers the recipient list, so a hand-over uploads this as a signed grant (spec §10, createGrant)
 * rather than appending it to the envelope.
 * K is only re-wrapped after it has been shown to decrypt `ct`, so a bogus wk is never propagated.
 */
export function wrapForRecipient(
  envelope: unknown,
  opener: BoxKeyPair,
  newRecipientPublicKey: Uint8Array,
): EnvelopeRecipient {
  const env = parseEnvelope(envelope);
  if (newRecipientPublicKey.length !== BOX_PUBLIC_KEY_BYTES) {
    throw new CryptoFormatError('newRecipientPublicKey', 'must be a 32-byte X25519 public key');
  }
  const newKid = kid(newRecipientPublicKey);
  if (env.recipients.some((r) => r.kid === newKid))
    throw new CryptoFormatError('recipients', 'already holds this kid');
  if (env.recipients.length >= ENVELOPE_MAX_RECIPIENTS) {
    throw new CryptoFormatError('recipients', `already holds ${ENVELOPE_MAX_RECIPIENTS} recipients`);
  }
  const key = unwrapKey(env, opener);
  try {
    wipe(decryptWith(env, key));
    return { kid: newKid, wk: toB64u(sodium().crypto_box_seal(key, newRecipientPublicKey)) };
  } finally {
    wipe(key);
  }
}

/** True if this public key is listed as a recipient (no decryption). */
export function isRecipient(envelope: Envelope, publicKey: Uint8Array): boolean {
  const k = kid(publicKey);
  return envelope.recipients.some((r) => r.kid === k);
}
