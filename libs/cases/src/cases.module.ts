import { Module } from '@nestjs/common';
import { CaseService } from './case.service';

/** Cases: opening and raising them (triage, check-ins, panic, duress all go through CaseService). */
@Module({ providers: [CaseService], exports: [CaseService] })
export class CasesModule {}
