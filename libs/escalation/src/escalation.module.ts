import { Module } from '@nestjs/common';
import { AuditModule } from '@panah/audit';
import { CasesModule } from '@panah/cases';
import { StaffRepository, StaffTeamRepository } from '@panah/identity';
import { NotifyModule } from '@panah/notify';
import { ObservabilityModule } from '@panah/observability';
import { ProducerQueuesModule } from '@panah/queue';
import { EscalationCommands } from './commands';
import { ContactMethods } from './contacts';
import { NotificationDelivery } from './delivery';
import { EscalationEngine } from './engine';
import { EscalationMetrics } from './escalation.metrics';
import { EscalationHistory } from './history';
import { OnCallSchedules } from './oncall';
import { EscalationPolicies } from './policies';
import { EscalationSweeper } from './sweeper';

/** The escalation capability: engine, delivery, sweeper (worker) and commands, policies, contacts (API). */
@Module({
  imports: [AuditModule, CasesModule, NotifyModule, ObservabilityModule, ProducerQueuesModule],
  // StaffRepository and StaffTeamRepository are identity's: who is active, in which team.
  providers: [StaffRepository, StaffTeamRepository, EscalationMetrics, EscalationEngine, NotificationDelivery, EscalationSweeper, EscalationCommands, EscalationPolicies, ContactMethods, OnCallSchedules, EscalationHistory],
  exports: [EscalationEngine, NotificationDelivery, EscalationSweeper, EscalationCommands, EscalationPolicies, ContactMethods, OnCallSchedules, EscalationHistory, EscalationMetrics],
})
export class EscalationModule {}
