import { IdentityReason } from './account';

/** An invitation makes one account (`invitation`); a bootstrap `setup` link makes an active admin. */
export type InvitationKind = 'invitation' | 'setup';

export interface InvitationFacts {
  readonly kind: InvitationKind;
  readonly expiresAt: Date;
  readonly usedAt: Date | null;
  readonly revokedAt: Date | null;
}

export const INVITATION_DEFAULT_TTL_HOURS = 72;
export const INVITATION_MAX_TTL_HOURS = 168;
export const SETUP_DEFAULT_TTL_MINUTES = 60;

export type InvitationUsability =
  | { readonly usable: true }
  | {
      readonly usable: false;
      readonly reason: IdentityReason;
      readonly kind: 'unauthenticated' | 'conflict';
    };

/** Single use, expiring, revocable. A revoked invitation looks like an unknown one. */
export function invitationUsability(inv: InvitationFacts | null, now: Date): InvitationUsability {
  if (!inv || inv.revokedAt)
    return { usable: false, reason: IdentityReason.InvitationInvalid, kind: 'unauthenticated' };
  if (inv.usedAt) return { usable: false, reason: IdentityReason.InvitationUsed, kind: 'conflict' };
  if (inv.expiresAt.getTime() <= now.getTime()) {
    return { usable: false, reason: IdentityReason.InvitationExpired, kind: 'unauthenticated' };
  }
  return { usable: true };
}

/**
 * Accounts registered through a bootstrap setup link start active: at bootstrap there is no
 * admin who could vet them (the operator who ran `panah admin bootstrap` with database access
 * is the trust anchor). Every other account waits for a second admin.
 */
export function initialStatusFor(kind: InvitationKind): 'active' | 'pending_vetting' {
  return kind === 'setup' ? 'active' : 'pending_vetting';
}
