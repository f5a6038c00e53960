import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { IdentityModule, StaffSessions } from '@panah/identity';
import { TokenKind } from '@panah/security';
import { SessionResolvers } from '../auth/session-resolvers';
import { AdminStaffController } from './admin-staff.controller';
import { AdminTeamsController } from './admin-teams.controller';
import { StaffAuthController } from './staff-auth.controller';

/** Plugs staff sessions into the global guard, so `Bearer ps_…` resolves to a staff principal. */
@Injectable()
class StaffSessionRegistration implements OnModuleInit {
  constructor(
    private readonly resolvers: SessionResolvers,
    private readonly sessions: StaffSessions,
  ) {}

  onModuleInit(): void {
    this.resolvers.register(TokenKind.StaffSession, { resolve: (token) => this.sessions.resolve(token) });
  }
}

/** HTTP side of staff identity: /v1/staff/* and /v1/admin/{invitations,staff,teams}. */
@Module({
  imports: [IdentityModule],
  controllers: [StaffAuthController, AdminStaffController, AdminTeamsController],
  providers: [StaffSessionRegistration],
})
export class IdentityHttpModule {}
