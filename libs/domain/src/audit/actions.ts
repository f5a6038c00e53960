/** Audit actions of the identity capability. Other capabilities add their own `<capability>.<verb>`. */
export const AuditAction = {
  SetupLinkCreated: 'setup.link_created',
  InvitationCreated: 'invitation.created',
  InvitationRevoked: 'invitation.revoked',
  StaffRegistered: 'staff.registered',
  StaffApproved: 'staff.approved',
  StaffRejected: 'staff.rejected',
  StaffSuspended: 'staff.suspended',
  StaffOffboarded: 'staff.offboarded',
  StaffRoleChanged: 'staff.role_changed',
  StaffTeamsChanged: 'staff.teams_changed',
  LoginSucceeded: 'staff.login_succeeded',
  LoginFailed: 'staff.login_failed',
  LoggedOut: 'staff.logged_out',
  TeamCreated: 'team.created',
  TeamUpdated: 'team.updated',
  TeamDeleted: 'team.deleted',
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];
