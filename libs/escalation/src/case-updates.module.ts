import { Module } from '@nestjs/common';
import { CasesModule } from '@panah/cases';
import { StaffRepository } from '@panah/identity';
import { CaseUpdateNotifier } from './case-update-notifier.service';

/**
 * Just the case-update notifier, for capabilities that report case events (check-ins, triage)
 * without pulling in the escalation engine, its channels and its commands.
 */
@Module({
  imports: [CasesModule],
  providers: [CaseUpdateNotifier, StaffRepository],
  exports: [CaseUpdateNotifier],
})
export class CaseUpdatesModule {}
