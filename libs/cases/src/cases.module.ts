import { Module } from '@nestjs/common';
import { AuditModule } from '@panah/audit';
import { StaffTeamRepository } from '@panah/identity';
import { hintsCipherProvider, ReporterRepository, ReportRepository } from '@panah/intake';
import { CaseQueryService } from './case-query.service';
import { CaseRepository } from './case.repository';
import { CaseService } from './case.service';
import { CaseViewService } from './case-view.service';

/**
 * Cases: the `cases` table's owner (CaseRepository, the only SQL that touches it), opening and
 * raising them (triage, check-ins, panic, duress all go through CaseService), and the case list
 * and case view staff read.
 */
@Module({
  imports: [AuditModule],
  // Other owners' repositories, provided here for the few statements cases need of their tables.
  providers: [
    hintsCipherProvider,
    CaseRepository,
    CaseService,
    CaseQueryService,
    CaseViewService,
    ReporterRepository,
    ReportRepository,
    StaffTeamRepository,
  ],
  exports: [CaseRepository, CaseService, CaseQueryService, CaseViewService],
})
export class CasesModule {}
