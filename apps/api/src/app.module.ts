import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { DestinationStream } from 'pino';
import { ConfigModule, type PanahConfig } from '@panah/config';
import { DbModule } from '@panah/db';
import { loggerModule, ObservabilityModule } from '@panah/observability';
import { ProducerQueuesModule, RedisPolicyCheck } from '@panah/queue';
import { SecurityModule } from '@panah/security';
import { AuditHttpModule } from './audit/audit-http.module';
import { AuthModule } from './auth/auth.module';
import { CasesHttpModule } from './cases/cases-http.module';
import { CaseworkHttpModule } from './casework/casework-http.module';
import { EscalationHttpModule } from './escalation/escalation-http.module';
import { IdentityHttpModule } from './identity/identity-http.module';
import { CheckinsHttpModule } from './checkins/checkins-http.module';
import { IntakeHttpModule } from './intake/intake-http.module';
import { QueueDashboardModule } from './ops/queue-dashboard.module';
import { TriageHttpModule } from './triage/triage-http.module';

export interface ApiModuleOptions {
  /** Tests capture log lines here. */
  readonly logStream?: DestinationStream;
}

/** The HTTP API: controllers, DTOs and guards only; it enqueues through the outbox, never processes jobs. */
@Module({})
export class ApiModule {
  static forRoot(config: PanahConfig, options: ApiModuleOptions = {}): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config),
        loggerModule(config, { processName: 'api', stream: options.logStream }),
        DiscoveryModule,
        DbModule,
        ProducerQueuesModule,
        ObservabilityModule,
        SecurityModule,
        AuthModule,
        // Capability modules (HTTP side) go here.
        IdentityHttpModule,
        AuditHttpModule,
        IntakeHttpModule,
        CheckinsHttpModule,
        TriageHttpModule,
        CasesHttpModule,
        EscalationHttpModule,
        CaseworkHttpModule,
        // Off by default: with QUEUE_DASHBOARD unset the route does not exist.
        ...(config.api.queueDashboard ? [QueueDashboardModule] : []),
      ],
      providers: [RedisPolicyCheck],
    };
  }
}
