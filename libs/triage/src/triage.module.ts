import { Module } from '@nestjs/common';
import { AuditModule } from '@panah/audit';
import { CasesModule } from '@panah/cases';
import { CaseUpdatesModule } from '@panah/escalation';
import { hintsCipherProvider, ReportRepository } from '@panah/intake';
import { ReconcilerService } from './reconciler.service';
import { RuleSetRepository } from './rule-set.repository';
import { RuleSetService } from './rule-set.service';
import { TriageService } from './triage.service';

/** Triage: rule sets (admin), report → case (worker), the reconciler's queries. */
@Module({
  imports: [CasesModule, AuditModule, CaseUpdatesModule],
  // ReportRepository is intake's: triage locks and marks the reports it triages through it.
  providers: [
    hintsCipherProvider,
    ReportRepository,
    RuleSetRepository,
    RuleSetService,
    TriageService,
    ReconcilerService,
  ],
  exports: [RuleSetService, TriageService, ReconcilerService],
})
export class TriageModule {}
