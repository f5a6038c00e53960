import { Module } from '@nestjs/common';
import { AuditModule } from '@panah/audit';
import { PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { Argon2Pool } from './argon2-pool';
import { Invitations } from './invitations.service';
import { StaffRegistration } from './staff-registration.service';
import { TotpSecretBox } from './secret-box';
import { StaffAdmin } from './staff-admin.service';
import { StaffLogin } from './staff-login.service';
import { StaffProfile } from './staff-profile.service';
import { StaffSessionRepository } from './staff-session.repository';
import { StaffSessions } from './staff-sessions.service';
import { StaffStore } from './staff-store.repository';
import { TeamRepository } from './team.repository';
import { Teams } from './teams.service';

/** Staff identity (G6): invitations, four-eyes vetting, TOTP sign-in, sessions, roles and teams. */
@Module({
  imports: [AuditModule],
  providers: [
    Argon2Pool,
    StaffSessionRepository,
    TeamRepository,
    StaffStore,
    StaffSessions,
    StaffLogin,
    StaffRegistration,
    StaffProfile,
    StaffAdmin,
    Invitations,
    Teams,
    {
      provide: TotpSecretBox,
      inject: [PANAH_CONFIG],
      useFactory: (config: PanahConfig) => new TotpSecretBox(config.dataKeys),
    },
  ],
  exports: [
    Argon2Pool,
    StaffSessions,
    StaffLogin,
    StaffRegistration,
    StaffProfile,
    StaffAdmin,
    Invitations,
    Teams,
    StaffStore,
    AuditModule,
  ],
})
export class IdentityModule {}
