export { CaseService, type CaseSignal, type CaseOutcome } from './case.service';
export { CasesModule } from './cases.module';
