import { Module } from '@nestjs/common';
import { TriageModule } from '@panah/triage';
import { CasesController } from './cases.controller';
import { TriageRulesController } from './triage-rules.controller';

/** Triage over HTTP: admin rule management and dry runs, the supervisor's case list. */
@Module({ imports: [TriageModule], controllers: [TriageRulesController, CasesController] })
export class TriageHttpModule {}
