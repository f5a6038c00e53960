import { Module, OnModuleInit } from '@nestjs/common';
import { IntakeModule, ReporterAuthService } from '@panah/intake';
import { TokenKind } from '@panah/security';
import { SessionResolvers } from '../auth/session-resolvers';
import { KeysController } from './keys.controller';
import { MetaController } from './meta.controller';
import { ReportersController } from './reporters.controller';
import { ReportsController } from './reports.controller';

/** Intake over HTTP: meta, the key directory, reporters, reports, attachments, messages. */
@Module({
  imports: [IntakeModule],
  controllers: [MetaController, KeysController, ReportersController, ReportsController],
})
export class IntakeHttpModule implements OnModuleInit {
  constructor(
    private readonly sessions: SessionResolvers,
    private readonly auth: ReporterAuthService,
  ) {}

  onModuleInit(): void {
    // `Bearer pr_…` resolves to a reporter principal through intake's session table.
    this.sessions.register(TokenKind.ReporterSession, {
      resolve: (token) => this.auth.resolveSession(token),
    });
  }
}
