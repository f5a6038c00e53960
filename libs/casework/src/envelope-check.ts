import {
  type Envelope,
  type EnvelopeKind,
  fromB64u,
  SignatureError,
  validateEnvelope,
  verifyAuthor,
} from '@panah/crypto';
import type { FieldProblem } from '@panah/domain';
import { badRequest, CaseworkReason } from './errors';

/** Ciphertext ceiling for messages and notes (the JSON body limit bounds it too). */
export const CONVERSATION_MAX_CT_BYTES = 256 * 1024;

/** Structure, kind and id of an untrusted envelope, as a 400 naming each field (v1: `envelope/v1_retired`). */
export function checkEnvelope(input: unknown, kind: EnvelopeKind, resourceId: string): Envelope {
  const result = validateEnvelope(input, {
    expectedId: resourceId,
    expectedKind: kind,
    maxCiphertextBytes: CONVERSATION_MAX_CT_BYTES,
  });
  if (result.ok) return result.envelope;
  const fields: FieldProblem[] = result.errors.map((e) => ({
    path: e.field === '$' ? 'envelope' : `envelope.${e.field}`,
    message: e.problem,
  }));
  if (typeof input === 'object' && input !== null && (input as { v?: unknown }).v === 1) {
    throw badRequest(
      CaseworkReason.EnvelopeV1Retired,
      'Envelope v1 is retired: seal as envelope v2 (crypto-v1 §1)',
      fields,
    );
  }
  const onlyId =
    fields.every((f) => f.path === 'envelope.id') &&
    fields.some((f) => f.message === 'does not match the resource id');
  throw badRequest(
    onlyId ? CaseworkReason.IdMismatch : CaseworkReason.BadEnvelope,
    onlyId ? 'The envelope id differs from the resource id' : 'Malformed envelope',
    fields,
  );
}

/** The author signature against a registered sign key (b64u), else a 400 naming `envelope.author.sig`. */
export function checkAuthor(envelope: Envelope, signPk: string | null): void {
  if (signPk === null)
    throw badRequest(CaseworkReason.UnknownAuthor, 'The envelope must be signed with your registered key', [
      { path: 'envelope.author.kid', message: 'is not your sign key' },
    ]);
  try {
    verifyAuthor(envelope, fromB64u(signPk, 'signPk'));
  } catch (error) {
    if (!(error instanceof SignatureError)) throw error;
    throw badRequest(CaseworkReason.BadSignature, 'The envelope signature does not verify', [
      { path: 'envelope.author.sig', message: 'does not verify' },
    ]);
  }
}

/**
 * Recipients: every kid in `required` must be present, and every kid must be in `allowed`.
 * Errors name the offending index, or the missing kid.
 */
export function checkRecipients(
  envelope: Envelope,
  allowed: ReadonlySet<string>,
  required: readonly { kid: string; what: string }[],
): void {
  const strangers = envelope.recipients.flatMap((r, i) =>
    allowed.has(r.kid) ? [] : [{ path: `envelope.recipients[${i}].kid`, message: 'may not read this case' }],
  );
  if (strangers.length > 0)
    throw badRequest(
      CaseworkReason.UnknownRecipient,
      'Every recipient must be a key listed by GET /v1/cases/{id}/recipients',
      strangers,
    );
  const present = new Set(envelope.recipients.map((r) => r.kid));
  const missing = required
    .filter((r) => !present.has(r.kid))
    .map((r) => ({ path: 'envelope.recipients', message: `must include ${r.what} (kid ${r.kid})` }));
  if (missing.length > 0)
    throw badRequest(CaseworkReason.MissingRecipient, 'A required recipient is missing', missing);
}
