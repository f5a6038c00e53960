import { Module } from '@nestjs/common';
import { CasesModule } from '@panah/cases';
import { StaffRepository } from '@panah/identity';
import { CaseUpdateNotifier } from './case-update-notifier.service';
import { ContactMethodRepository } from './contact-method.repository';
import { EscalationHistory } from './escalation-history.service';
import { NotificationRepository } from './notification.repository';
import { RunRepository } from './run.repository';

/**
 * Just the case-update notifier and a case's escalation history, for capabilities that report
 * case events or show a case's timeline (check-ins, triage, case work) without pulling in the
 * escalation engine, its channels and its commands.
 */
@Module({
  imports: [CasesModule],
  providers: [
    CaseUpdateNotifier,
    EscalationHistory,
    StaffRepository,
    RunRepository,
    NotificationRepository,
    ContactMethodRepository,
  ],
  exports: [CaseUpdateNotifier, EscalationHistory],
})
export class CaseUpdatesModule {}
