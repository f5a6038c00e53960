/**
 * Everything the case page decrypts, in the browser, through libs/crypto. Nothing decrypted is
 * ever sent back: the results stay in this tab's memory.
 */
import { fromB64u, fromUtf8, kid, openEnvelope, verifyAuthor, type StaffKeyPairs } from '@panah/crypto';

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

const failed = (verification: Verification, authorKid: string | null): Opened => ({ ok: false, text: '', json: null, verification, authorKid, attachments: [] });

function attachmentsOf(json: Record<string, unknown> | null): AttachmentRef[] {
  const list = json?.attachments;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (a): a is AttachmentRef =>
      typeof a === 'object' && a !== null && typeof (a as AttachmentRef).id === 'string' && typeof (a as AttachmentRef).key === 'string' && typeof (a as AttachmentRef).hash === 'string',
  );
}

/** The human text of a decrypted plaintext: the report narrative, a message's text, or the raw text. */
export function bodyText(json: Record<string, unknown> | null, raw: string): string {
  if (!json) return raw;
  for (const k of ['narrative', 'text', 'body', 'message', 'note']) if (typeof json[k] === 'string') return json[k] as string;
  return raw;
}

/**
 * Verifies the author's signature when the author's key is known (a reporter's registered key, a
 * colleague's staff key), then opens the envelope with this staff member's box key, or with a
 * grant's wrapped key (spec §10) when the envelope predates our access.
 */
export function openForMe(envelope: unknown, keys: StaffKeyPairs, authorSignPk: string | null | undefined, grantOpen?: () => Uint8Array | null): Opened {
  const authorKid = (envelope as { author?: { kid?: string } })?.author?.kid ?? null;
  let verification: Verification = 'unverified';
  if (authorSignPk) {
    try {
      const pk = fromB64u(authorSignPk, 'signPk');
      if (authorKid && kid(pk) !== authorKid) return failed('bad_signature', authorKid);
      verifyAuthor(envelope, pk);
      verification = 'verified';
    } catch {
      return failed('bad_signature', authorKid);
    }
  }
  let plain: Uint8Array | null = null;
  try {
    plain = openEnvelope(envelope, keys.boxKeyPair);
  } catch {
    plain = grantOpen ? grantOpen() : null;
  }
  if (!plain) return failed(verification, authorKid);
  const raw = fromUtf8(plain);
  plain.fill(0);
  let json: Record<string, unknown> | null = null;
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
  } catch {
    // plain text
  }
  return { ok: true, text: bodyText(json, raw), json, verification, authorKid, attachments: attachmentsOf(json) };
}
