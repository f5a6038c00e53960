export { TriageModule } from './triage.module';
export { TriageService, type TriageResult } from './triage.service';
export { ReconcilerService } from './reconciler.service';
export { RuleSetService, type DryRunResult } from './rule-set.service';
export { RuleSetRepository, type RuleSetVersionRow } from './rule-set.repository';
