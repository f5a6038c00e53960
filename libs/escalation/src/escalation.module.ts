import { Module } from '@nestjs/common';
import { AuditModule } from '@panah/audit';
import { CasesModule } from '@panah/cases';
import { StaffRepository, StaffTeamRepository } from '@panah/identity';
import { NotifyModule } from '@panah/notify';
import { ObservabilityModule } from '@panah/observability';
import { ProducerQueuesModule } from '@panah/queue';
import { EscalationCommands } from './escalation-commands.service';
import { ContactMethods } from './contact-methods.service';
import { NotificationDelivery } from './notification-delivery.service';
import { EscalationEngine } from './escalation-engine.service';
import { EscalationMetrics } from './escalation.metrics';
import { EscalationHistory } from './escalation-history.service';
import { OnCallSchedules } from './oncall-schedules.service';
import { EscalationPolicies } from './escalation-policies.service';
import { EscalationSweeper } from './escalation-sweeper.service';
import { CaseEventSweepRepository } from './case-event-sweep.repository';
import { CaseEventSweeper } from './case-event-sweeper.service';
import { CaseUpdatesModule } from './case-updates.module';
import { ContactMethodRepository } from './contact-method.repository';
import { OnCallScheduleRepository } from './oncall-schedule.repository';
import { NotificationRepository } from './notification.repository';
import { PolicyRepository } from './policy.repository';
import { RunRepository } from './run.repository';

/** The escalation capability: engine, delivery, sweeper (worker) and commands, policies, contacts (API). */
@Module({
  imports: [
    AuditModule,
    CasesModule,
    CaseUpdatesModule,
    NotifyModule,
    ObservabilityModule,
    ProducerQueuesModule,
  ],
  // StaffRepository and StaffTeamRepository are identity's: who is active, in which team.
  providers: [
    StaffRepository,
    StaffTeamRepository,
    EscalationMetrics,
    EscalationEngine,
    NotificationDelivery,
    EscalationSweeper,
    CaseEventSweeper,
    CaseEventSweepRepository,
    EscalationCommands,
    EscalationPolicies,
    ContactMethods,
    OnCallSchedules,
    EscalationHistory,
    ContactMethodRepository,
    OnCallScheduleRepository,
    PolicyRepository,
    RunRepository,
    NotificationRepository,
  ],
  exports: [
    EscalationEngine,
    NotificationDelivery,
    EscalationSweeper,
    CaseEventSweeper,
    EscalationCommands,
    EscalationPolicies,
    ContactMethods,
    OnCallSchedules,
    EscalationHistory,
    EscalationMetrics,
  ],
})
export class EscalationModule {}
