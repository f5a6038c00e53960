/**
 * @panah/identity — staff accounts (G6): bootstrap setup links, invitations, registration with
 * client-side keys (crypto-v1 §4) and TOTP, four-eyes vetting, sign-in, sessions, roles, teams.
 * Pure rules live in @panah/domain (identity/); HTTP lives in apps/api/src/identity.
 */
export { IdentityModule } from './identity.module';
export { StaffSessions, type NewSession } from './staff-sessions';
export { StaffLogin, type LoginInput, type LoginResult, type PreloginResult } from './staff-login';
export { StaffRegistration, type RegistrationInput, type RegistrationResult } from './registration';
export { StaffProfile, type OwnProfile } from './staff-profile';
export { StaffAdmin, type StatusAction } from './staff-admin';
export { Invitations, createSetupLinks, bootstrapState, type CreatedInvitation, type InvitationView, type SetupLinks } from './invitations';
export { Teams, type TeamView, type TeamInput } from './teams';
export { StaffStore, type StaffView } from './staff-store';
export { TotpSecretBox } from './secret-box';
export { matchTotp, newTotpSecret, totpCodeAt, totpUri } from './totp';
export { newRecoveryCodes, normaliseRecoveryCode, recoveryCodeDigest } from './recovery-codes';
export { StaffTeamRepository } from './staff-team.repository';
export { StaffKeysRepository, type StaffKeyRow } from './staff-keys.repository';
export { StaffRepository } from './staff.repository';
