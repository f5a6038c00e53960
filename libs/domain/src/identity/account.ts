import { StaffRole } from '../principal';

/**
 * Staff account lifecycle (G6). An account is created `pending_vetting` by registering with an
 * invitation and can do nothing until a different admin approves it. `suspended` (an incident:
 * frozen, kept for investigation) and `offboarded` (left: credentials wiped) are ends of the
 * road; a person coming back is invited and vetted again, so nobody re-enters without four eyes.
 */
export const StaffStatus = {
  PendingVetting: 'pending_vetting',
  Active: 'active',
  Rejected: 'rejected',
  Suspended: 'suspended',
  Offboarded: 'offboarded',
} as const;
export type StaffStatus = (typeof StaffStatus)[keyof typeof StaffStatus];
export const STAFF_STATUSES: readonly StaffStatus[] = Object.values(StaffStatus);

/** Stable causes a client can act on (DomainError.reason). Never renamed. */
export const IdentityReason = {
  NotAdmin: 'staff/not_admin',
  SelfAction: 'staff/self_action',
  InviterCannotApprove: 'staff/inviter_cannot_approve',
  InvalidTransition: 'staff/invalid_transition',
  LoginTaken: 'staff/login_taken',
  IdTaken: 'staff/id_taken',
  UnknownTeam: 'staff/unknown_team',
  InvitationInvalid: 'invitation/invalid',
  InvitationExpired: 'invitation/expired',
  InvitationUsed: 'invitation/used',
  TotpInvalid: 'totp/invalid',
  LoginFailed: 'login/failed',
  LoginRateLimited: 'login/rate_limited',
  /** The attempt must carry a proof of work; the answer's `pow` is the challenge (crypto-v1 §7). */
  LoginPowRequired: 'login/pow_required',
  AdminExists: 'bootstrap/admin_exists',
  TeamNameTaken: 'team/name_taken',
  TeamInUse: 'team/in_use',
  SecondAdminRequired: 'staff/second_admin_required',
} as const;
export type IdentityReason = (typeof IdentityReason)[keyof typeof IdentityReason];

export type AccountAction = 'approve' | 'reject' | 'suspend' | 'offboard' | 'change_role' | 'change_teams';

export interface AccountFacts {
  readonly id: string;
  readonly status: StaffStatus;
  /** The admin who created the invitation; null for accounts made through the bootstrap link. */
  readonly invitedBy: string | null;
}

/** The acting admin (the guard has already checked the role and that the session is live). */
export interface ActorFacts {
  readonly id: string;
  readonly role: StaffRole;
}

export type AccountDecision =
  | { readonly ok: true; readonly next: StaffStatus }
  | {
      readonly ok: false;
      readonly kind: 'forbidden' | 'conflict';
      readonly reason: IdentityReason;
      readonly message: string;
    };

const FROM: Record<AccountAction, readonly StaffStatus[]> = {
  approve: [StaffStatus.PendingVetting],
  reject: [StaffStatus.PendingVetting],
  suspend: [StaffStatus.PendingVetting, StaffStatus.Active],
  offboard: [StaffStatus.PendingVetting, StaffStatus.Active, StaffStatus.Suspended, StaffStatus.Rejected],
  change_role: [StaffStatus.PendingVetting, StaffStatus.Active],
  change_teams: [StaffStatus.PendingVetting, StaffStatus.Active],
};

function nextStatus(action: AccountAction, current: StaffStatus): StaffStatus {
  switch (action) {
    case 'approve':
      return StaffStatus.Active;
    case 'reject':
      return StaffStatus.Rejected;
    case 'suspend':
      return StaffStatus.Suspended;
    case 'offboard':
      return StaffStatus.Offboarded;
    case 'change_role':
    case 'change_teams':
      return current;
  }
}

/**
 * Whether `actor` may apply `action` to `target`. Four-eyes: nobody acts on their own account
 * (no self-approval, no self-promotion, no locking oneself or the last admin out), and the admin
 * who invited someone can never be the one who vets them.
 */
export function decideAccountAction(
  action: AccountAction,
  actor: ActorFacts,
  target: AccountFacts,
): AccountDecision {
  if (actor.role !== StaffRole.Admin) {
    return {
      ok: false,
      kind: 'forbidden',
      reason: IdentityReason.NotAdmin,
      message: 'Only admins manage staff accounts',
    };
  }
  if (actor.id === target.id) {
    return {
      ok: false,
      kind: 'forbidden',
      reason: IdentityReason.SelfAction,
      message: 'Admins cannot act on their own account',
    };
  }
  if (action === 'approve' && target.invitedBy === actor.id) {
    return {
      ok: false,
      kind: 'forbidden',
      reason: IdentityReason.InviterCannotApprove,
      message: 'The admin who invited this person cannot vet them; a different admin must approve',
    };
  }
  if (!FROM[action].includes(target.status)) {
    return {
      ok: false,
      kind: 'conflict',
      reason: IdentityReason.InvalidTransition,
      message: `Cannot ${action.replace('_', ' ')} an account that is ${target.status}`,
    };
  }
  return { ok: true, next: nextStatus(action, target.status) };
}

/** Only active accounts may sign in or hold a live session. */
export function canSignIn(status: StaffStatus): boolean {
  return status === StaffStatus.Active;
}

/** Login names: lowercase, 3-32 characters, no look-alike Unicode. */
export const LOGIN_PATTERN = /^[a-z0-9][a-z0-9._-]{2,31}$/;
