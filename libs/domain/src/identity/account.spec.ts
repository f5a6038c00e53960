import { StaffRole } from '../principal';
import { decideAccountAction, IdentityReason, StaffStatus } from './account';
import { initialStatusFor, invitationUsability } from './invitation';

const admin = (id: string) => ({ id, role: StaffRole.Admin });
const pending = { id: 'new', status: StaffStatus.PendingVetting, invitedBy: 'inviter' };

describe('account lifecycle', () => {
  it('lets a different admin approve a pending account', () => {
    expect(decideAccountAction('approve', admin('other'), pending)).toEqual({
      ok: true,
      next: StaffStatus.Active,
    });
  });

  it('refuses approval by the admin who sent the invitation (four eyes)', () => {
    expect(decideAccountAction('approve', admin('inviter'), pending)).toMatchObject({
      ok: false,
      kind: 'forbidden',
      reason: IdentityReason.InviterCannotApprove,
    });
  });

  it("refuses every action on one's own account", () => {
    for (const action of [
      'approve',
      'reject',
      'suspend',
      'offboard',
      'change_role',
      'change_teams',
    ] as const) {
      expect(decideAccountAction(action, admin('new'), pending)).toMatchObject({
        ok: false,
        reason: IdentityReason.SelfAction,
      });
    }
  });

  it('refuses non-admin actors even if a guard was forgotten', () => {
    expect(decideAccountAction('approve', { id: 'x', role: StaffRole.Supervisor }, pending)).toMatchObject({
      ok: false,
      reason: IdentityReason.NotAdmin,
    });
  });

  it('never brings a suspended, rejected or offboarded account back to active', () => {
    for (const status of [
      StaffStatus.Suspended,
      StaffStatus.Rejected,
      StaffStatus.Offboarded,
      StaffStatus.Active,
    ]) {
      expect(decideAccountAction('approve', admin('other'), { ...pending, status })).toMatchObject({
        ok: false,
        kind: 'conflict',
        reason: IdentityReason.InvalidTransition,
      });
    }
  });

  it('suspends active and pending accounts and offboards anything not yet offboarded', () => {
    const active = { ...pending, status: StaffStatus.Active };
    expect(decideAccountAction('suspend', admin('other'), active)).toEqual({
      ok: true,
      next: StaffStatus.Suspended,
    });
    expect(
      decideAccountAction('offboard', admin('other'), { ...pending, status: StaffStatus.Suspended }),
    ).toEqual({
      ok: true,
      next: StaffStatus.Offboarded,
    });
    expect(
      decideAccountAction('offboard', admin('other'), { ...pending, status: StaffStatus.Offboarded }),
    ).toMatchObject({ ok: false });
  });

  it('keeps the status when roles or teams change', () => {
    const active = { ...pending, status: StaffStatus.Active };
    expect(decideAccountAction('change_role', admin('other'), active)).toEqual({
      ok: true,
      next: StaffStatus.Active,
    });
  });
});

describe('invitations', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  const base = {
    kind: 'invitation' as const,
    expiresAt: new Date('2026-01-02T00:00:00Z'),
    usedAt: null,
    revokedAt: null,
  };

  it('accepts an unused, unexpired invitation once', () => {
    expect(invitationUsability(base, now)).toEqual({ usable: true });
    expect(invitationUsability({ ...base, usedAt: now }, now)).toMatchObject({
      usable: false,
      reason: IdentityReason.InvitationUsed,
    });
  });

  it('refuses expired, revoked and unknown invitations', () => {
    expect(invitationUsability({ ...base, expiresAt: now }, now)).toMatchObject({
      reason: IdentityReason.InvitationExpired,
    });
    expect(invitationUsability({ ...base, revokedAt: now }, now)).toMatchObject({
      reason: IdentityReason.InvitationInvalid,
    });
    expect(invitationUsability(null, now)).toMatchObject({ reason: IdentityReason.InvitationInvalid });
  });

  it('activates only bootstrap setup accounts without vetting', () => {
    expect(initialStatusFor('setup')).toBe('active');
    expect(initialStatusFor('invitation')).toBe('pending_vetting');
  });
});
