/**
 * @panah/identity — staff accounts (G6): bootstrap setup links, invitations, registration with
 * client-side keys (crypto-v1 §4) and TOTP, four-eyes vetting, sign-in, sessions, roles, teams.
 * Pure rules live in @panah/domain (identity/); HTTP lives in apps/api/src/identity.
 */
export { IdentityModule } from './identity.module';
export { StaffSessions, type NewSession } from './staff-sessions.service';
export {
  StaffLogin,
  type LoginInput,
  type LoginPowChallenge,
  type LoginResult,
  type PreloginResult,
} from './staff-login.service';
export { Argon2Pool } from './argon2-pool';
export {
  StaffRegistration,
  type RegistrationInput,
  type RegistrationResult,
} from './staff-registration.service';
export { StaffProfile, type OwnProfile } from './staff-profile.service';
export { StaffAdmin, type StatusAction } from './staff-admin.service';
export {
  Invitations,
  createSetupLinks,
  bootstrapState,
  type CreatedInvitation,
  type InvitationView,
  type SetupLinks,
} from './invitations.service';
export { Teams, type TeamView, type TeamInput } from './teams.service';
export { StaffStore, type StaffView } from './staff-store.repository';
export { TotpSecretBox } from './secret-box';
export { matchTotp, newTotpSecret, totpCodeAt, totpUri } from './totp';
export { newRecoveryCodes, normaliseRecoveryCode, recoveryCodeDigest } from './recovery-codes';
export { StaffTeamRepository } from './staff-team.repository';
export { StaffKeysRepository, type StaffKeyRow } from './staff-keys.repository';
export { StaffRepository } from './staff.repository';
