import { Module } from '@nestjs/common';
import { AuditModule } from '@panah/audit';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { Invitations } from './invitations';
import { StaffRegistration } from './registration';
import { TotpSecretBox } from './secret-box';
import { StaffAdmin } from './staff-admin';
import { StaffLogin } from './staff-login';
import { StaffProfile } from './staff-profile';
import { StaffSessions } from './staff-sessions';
import { StaffStore } from './staff-store';
import { Teams } from './teams';

/** Staff identity (G6): invitations, four-eyes vetting, TOTP sign-in, sessions, roles and teams. */
@Module({
  imports: [AuditModule],
  providers: [
    StaffStore,
    StaffSessions,
    StaffLogin,
    StaffRegistration,
    StaffProfile,
    StaffAdmin,
    Invitations,
    Teams,
    { provide: TotpSecretBox, inject: [PANAH_CONFIG], useFactory: (config: PanahConfig) => new TotpSecretBox(config.dataKeys) },
  ],
  exports: [StaffSessions, StaffLogin, StaffRegistration, StaffProfile, StaffAdmin, Invitations, Teams, StaffStore, AuditModule],
})
export class IdentityModule {}
