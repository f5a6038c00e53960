/**
 * Everything the case page decrypts, in the browser, through libs/crypto. Nothing decrypted is
 * ever sent back: the results stay in this tab's memory.
 */
import {
  fromB64u,
  fromUtf8,
  openEnvelopeWithGrants,
  verifyAuthor,
  type Grant,
  type StaffKeyPairs,
} from '@panah/crypto';

export type Verification = 'verified' | 'unverified' | 'bad_signature';

export interface AttachmentRef {
  readonly id: string;
  readonly key: string;
  readonly name: string;
  readonly mime: string;
  readonly size: number;
  readonly hash: string;
}

export interface Opened {
  readonly ok: boolean;
  readonly text: string;
  readonly json: Record<string, unknown> | null;
  readonly verification: Verification;
  readonly authorKid: string | null;
  readonly attachments: readonly AttachmentRef[];
}

export const authorKidOf = (envelope: unknown): string | null =>
  (envelope as { author?: { kid?: string } } | null)?.author?.kid ?? null;

function attachmentsOf(json: Record<string, unknown> | null): AttachmentRef[] {
  const list = json?.attachments;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (a): a is AttachmentRef =>
      typeof a === 'object' &&
      a !== null &&
      typeof (a as AttachmentRef).id === 'string' &&
      typeof (a as AttachmentRef).key === 'string' &&
      typeof (a as AttachmentRef).hash === 'string',
  );
}

/** The human text of a decrypted plaintext: the report narrative, a message's text, or the raw text. */
export function bodyText(json: Record<string, unknown> | null, raw: string): string {
  if (!json) return raw;
  for (const k of ['narrative', 'text', 'body', 'message', 'note'])
    if (typeof json[k] === 'string') return json[k] as string;
  return raw;
}

export interface OpenContext {
  readonly keys: StaffKeyPairs;
  readonly grants: readonly Grant[];
  /** Sign public key of a trusted staff member by sign kid (grants must verify against one). */
  readonly granterKey: (signKid: string) => Uint8Array | undefined;
}

/**
 * Verifies the author's signature against `authorSignPk` (null: the author's key is unknown,
 * shown as unverified), then opens the envelope as a recipient or through a verified grant (§10).
 * A signature that does not verify hides the content.
 */
export function openForMe(envelope: unknown, ctx: OpenContext, authorSignPk: string | null): Opened {
  const authorKid = authorKidOf(envelope);
  const failed = (verification: Verification): Opened => ({
    ok: false,
    text: '',
    json: null,
    verification,
    authorKid,
    attachments: [],
  });
  let verification: Verification = 'unverified';
  if (authorSignPk) {
    try {
      verifyAuthor(envelope, fromB64u(authorSignPk, 'signPk'));
      verification = 'verified';
    } catch {
      return failed('bad_signature');
    }
  }
  let plain: Uint8Array;
  try {
    plain = openEnvelopeWithGrants(envelope, ctx.keys.boxKeyPair, ctx.grants, ctx.granterKey);
  } catch {
    return failed(verification);
  }
  const raw = fromUtf8(plain);
  plain.fill(0);
  let json: Record<string, unknown> | null = null;
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      json = parsed as Record<string, unknown>;
  } catch {
    // plain text
  }
  return {
    ok: true,
    text: bodyText(json, raw),
    json,
    verification,
    authorKid,
    attachments: attachmentsOf(json),
  };
}
