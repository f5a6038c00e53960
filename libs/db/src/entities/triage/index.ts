export { Case } from './case.entity';
export { TriageRuleSetVersion } from './triage-rule-set.entity';
