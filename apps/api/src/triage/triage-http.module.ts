import { Module } from '@nestjs/common';
import { TriageModule } from '@panah/triage';
import { TriageRulesController } from './triage-rules.controller';

/** Triage over HTTP: admin rule management and dry runs. */
@Module({ imports: [TriageModule], controllers: [TriageRulesController] })
export class TriageHttpModule {}
