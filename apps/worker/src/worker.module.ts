import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { DestinationStream } from 'pino';
import { ConfigModule, PANAH_CONFIG, type PanahConfig } from '@panah/config';
import { DbModule } from '@panah/db';
import { loggerModule, ObservabilityModule } from '@panah/observability';
import { ALL_QUEUE_NAMES, OutboxRelayModule, redisOptions, RedisPolicyCheck } from '@panah/queue';
import { TriageModule } from '@panah/triage';
import { CheckinsModule } from '@panah/checkins';
import { DevMailCatcher } from './dev-mail/mail-catcher';
import { CheckinSweepProcessor } from './checkins/checkin-sweep.processor';
import { CheckinsProcessor } from './checkins/checkins.processor';
import { CheckinsScheduler } from './checkins/checkins.scheduler';
import { JobRegistryCheck } from './job-registry.check';
import { QuietQueues } from './quiet-queues';
import { MaintenanceProcessor } from './maintenance/maintenance.processor';
import { MaintenanceScheduler } from './maintenance/maintenance.scheduler';
import { EscalationCaseEventsProcessor } from './escalation/case-events.processor';
import { EscalationWorkerModule } from './escalation/escalation-worker.module';
import { EscalationStepProcessor } from './escalation/escalation-step.processor';
import { NotifyProcessor } from './escalation/notify.processor';
import { EscalationSweepProcessor } from './escalation/sweep.processor';
import { EscalationSweepScheduler } from './escalation/sweep.scheduler';
import { TriageReconcileProcessor } from './triage/reconcile.processor';
import { TriageProcessor } from './triage/triage.processor';
import { TriageScheduler } from './triage/triage.scheduler';

export interface WorkerModuleOptions {
  readonly logStream?: DestinationStream;
}

/** Every BullMQ processor, the outbox relay, and health/metrics over HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(config: PanahConfig, options: WorkerModuleOptions = {}): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        loggerModule(config, { processName: 'worker', stream: options.logStream }),
        DiscoveryModule,
        DbModule,
        BullModule.forRootAsync({
          inject: [PANAH_CONFIG],
          useFactory: (c: PanahConfig) => ({
            connection: redisOptions(c.redis.url, 'worker'),
            prefix: c.redis.prefix,
          }),
        }),
        BullModule.registerQueue(...ALL_QUEUE_NAMES.map((name) => ({ name }))),
        OutboxRelayModule,
        ObservabilityModule,
        TriageModule,
        CheckinsModule,
        EscalationWorkerModule,
      ],
      providers: [
        RedisPolicyCheck,
        JobRegistryCheck,
        QuietQueues,
        MaintenanceProcessor,
        MaintenanceScheduler,
        TriageProcessor,
        TriageReconcileProcessor,
        TriageScheduler,
        CheckinsProcessor,
        CheckinSweepProcessor,
        CheckinsScheduler,
        // Escalation (replaces triage's placeholder CaseEventsProcessor for case.opened/case.updated).
        EscalationCaseEventsProcessor,
        EscalationStepProcessor,
        NotifyProcessor,
        EscalationSweepProcessor,
        EscalationSweepScheduler,
        // The demo's mail catcher, only with DEMO_MODE (never in production configuration).
        ...(config.demo ? [DevMailCatcher] : []),
      ],
    };
  }
}
