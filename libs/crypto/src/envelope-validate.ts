import { CryptoFormatError } from './errors';
import { b64uDecodedLength } from './encoding';
import { KID_BYTES, SIGNATURE_BYTES } from './keys';

/** Spec §1: what an envelope is for; part of the signed `ad`. */
export const ENVELOPE_KINDS = ['report', 'message', 'note', 'checkin'] as const;
export type EnvelopeKind = (typeof ENVELOPE_KINDS)[number];

export interface EnvelopeRecipient {
  /** kid of the recipient's X25519 public key. */
  readonly kid: string;
  /** b64u(crypto_box_seal(K, recipientPk)), 80 bytes. */
  readonly wk: string;
}

/** The envelope format version (spec §1): v2 signs the recipients too; v1 is retired and refused. */
export const ENVELOPE_VERSION = 2;

/** The crypto-v1 envelope as it travels in JSON (every binary field b64u). */
export interface Envelope {
  readonly v: 2;
  readonly kind: EnvelopeKind;
  readonly id: string;
  readonly nonce: string;
  readonly ct: string;
  readonly recipients: readonly EnvelopeRecipient[];
  readonly author: { readonly kid: string; readonly sig: string };
}

export const ENVELOPE_NONCE_BYTES = 24;
export const ENVELOPE_WK_BYTES = 80;
export const ENVELOPE_MAX_RECIPIENTS = 64;
/** Poly1305 tag: the smallest possible ciphertext (empty plaintext). */
export const ENVELOPE_MIN_CT_BYTES = 16;
/** Default ceiling for `ct`; the API should pass its own (smaller) per-kind limit. */
export const ENVELOPE_DEFAULT_MAX_CT_BYTES = 16 * 1024 * 1024;

// Canonical lowercase form only: `id` is part of the signed ad, so "A" and "a" must not both pass.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

export function isEnvelopeKind(value: unknown): value is EnvelopeKind {
  return typeof value === 'string' && (ENVELOPE_KINDS as readonly string[]).includes(value);
}

export interface EnvelopeValidationOptions {
  /** Reject a `ct` that decodes to more bytes than this. */
  readonly maxCiphertextBytes?: number;
  /** The resource id the envelope is sent to; a different `id` is rejected (spec §1). */
  readonly expectedId?: string;
  /** The kind the endpoint accepts. */
  readonly expectedKind?: EnvelopeKind;
}

export type EnvelopeValidationResult =
  | { readonly ok: true; readonly envelope: Envelope }
  | { readonly ok: false; readonly errors: readonly CryptoFormatError[] };

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Structural validation of an untrusted envelope (what the server can check without keys):
 * shape, no unknown properties, v, kind, UUID id, strict base64url, nonce 24 / wk 80 / kid 16 /
 * sig 64 bytes, ct size bounds, 1..64 recipients, no duplicate kid. Returns every problem found,
 * each naming its field path (`recipients[2].wk`). Does not verify the signature: see verifyAuthor.
 */
export function validateEnvelope(
  input: unknown,
  options: EnvelopeValidationOptions = {},
): EnvelopeValidationResult {
  const errors: CryptoFormatError[] = [];
  const fail = (field: string, problem: string): void => {
    errors.push(new CryptoFormatError(field, problem));
  };
  const collect = <T>(check: () => T): T | undefined => {
    try {
      return check();
    } catch (error) {
      if (!(error instanceof CryptoFormatError)) throw error;
      errors.push(error);
      return undefined;
    }
  };
  const bytes = (value: unknown, field: string, exact: number): number | undefined => {
    const length = collect(() => b64uDecodedLength(value, field));
    if (length !== undefined && length !== exact) fail(field, `must decode to ${exact} bytes`);
    return length === exact ? length : undefined;
  };
  const onlyKeys = (value: Obj, allowed: readonly string[], field: string): void => {
    if (Object.keys(value).some((k) => !allowed.includes(k))) fail(field, 'has an unexpected property');
  };

  if (!isObject(input)) return { ok: false, errors: [new CryptoFormatError('$', 'must be a JSON object')] };
  onlyKeys(input, ['v', 'kind', 'id', 'nonce', 'ct', 'recipients', 'author'], '$');
  if (input.v === 1)
    fail('v', 'envelope v1 is retired (its signature does not cover the recipients): seal as v 2');
  else if (input.v !== ENVELOPE_VERSION) fail('v', 'must be 2');
  if (!isEnvelopeKind(input.kind)) fail('kind', `must be one of ${ENVELOPE_KINDS.join(', ')}`);
  else if (options.expectedKind !== undefined && input.kind !== options.expectedKind)
    fail('kind', 'is not accepted here');
  if (!isUuid(input.id)) fail('id', 'must be a lowercase UUID');
  else if (options.expectedId !== undefined && input.id !== options.expectedId)
    fail('id', 'does not match the resource id');
  bytes(input.nonce, 'nonce', ENVELOPE_NONCE_BYTES);

  const maxCt = options.maxCiphertextBytes ?? ENVELOPE_DEFAULT_MAX_CT_BYTES;
  // ct is validated without being decoded: the server never needs its bytes.
  if (typeof input.ct === 'string' && input.ct.length > Math.ceil((maxCt * 4) / 3))
    fail('ct', `must be at most ${maxCt} bytes`);
  else {
    const ctLength = collect(() => b64uDecodedLength(input.ct, 'ct'));
    if (ctLength !== undefined && ctLength < ENVELOPE_MIN_CT_BYTES)
      fail('ct', `must be at least ${ENVELOPE_MIN_CT_BYTES} bytes`);
    else if (ctLength !== undefined && ctLength > maxCt) fail('ct', `must be at most ${maxCt} bytes`);
  }

  const recipients = input.recipients;
  if (!Array.isArray(recipients) || recipients.length < 1 || recipients.length > ENVELOPE_MAX_RECIPIENTS) {
    fail('recipients', `must be an array of 1 to ${ENVELOPE_MAX_RECIPIENTS} recipients`);
  } else {
    const seen = new Set<string>();
    recipients.forEach((r: unknown, i) => {
      const path = `recipients[${i}]`;
      if (!isObject(r)) return fail(path, 'must be an object');
      onlyKeys(r, ['kid', 'wk'], path);
      if (bytes(r.kid, `${path}.kid`, KID_BYTES) !== undefined) {
        if (seen.has(r.kid as string)) fail(`${path}.kid`, 'is a duplicate');
        seen.add(r.kid as string);
      }
      bytes(r.wk, `${path}.wk`, ENVELOPE_WK_BYTES);
    });
  }

  const author = input.author;
  if (!isObject(author)) fail('author', 'must be an object');
  else {
    onlyKeys(author, ['kid', 'sig'], 'author');
    bytes(author.kid, 'author.kid', KID_BYTES);
    bytes(author.sig, 'author.sig', SIGNATURE_BYTES);
  }

  if (errors.length > 0) return { ok: false, errors };
  // A fresh copy: the caller stores exactly the validated fields, not the request object.
  const a = author as Obj;
  const envelope: Envelope = {
    v: ENVELOPE_VERSION,
    kind: input.kind as EnvelopeKind,
    id: input.id as string,
    nonce: input.nonce as string,
    ct: input.ct as string,
    recipients: (recipients as Obj[]).map((r) => ({ kid: r.kid as string, wk: r.wk as string })),
    author: { kid: a.kid as string, sig: a.sig as string },
  };
  return { ok: true, envelope };
}

/** validateEnvelope that throws the first CryptoFormatError; for code paths that want exceptions. */
export function parseEnvelope(input: unknown, options: EnvelopeValidationOptions = {}): Envelope {
  const result = validateEnvelope(input, options);
  if (!result.ok) throw result.errors[0];
  return result.envelope;
}
