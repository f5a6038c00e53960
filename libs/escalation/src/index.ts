/**
 * @panah/escalation — runs escalation policies: starts a run when a case opens, executes due
 * steps (engine), tells a case's people about updates on it (CaseUpdateNotifier), delivers
 * notifications with retries and fallback, sweeps up lost wake-ups, and serves
 * acknowledge/snooze/resolve, policies, contact methods and on-call to the API.
 */
export { EscalationModule } from './escalation.module';
export { EscalationEngine, type StartOutcome, type StepOutcome } from './engine';
export { CaseUpdateNotifier, type CaseUpdate, type CaseUpdateEvent } from './case-updates';
export { CaseUpdatesModule } from './case-updates.module';
export { NotificationDelivery, type DeliveryOutcome } from './delivery';
export { EscalationSweeper } from './sweeper';
export { EscalationCommands, type Actor, type RunView } from './commands';
export { EscalationPolicies, type PolicyView } from './policies';
export { ContactMethods, type ContactMethodView } from './contacts';
export { OnCallSchedules, type ScheduleInput } from './oncall';
export { EscalationHistory } from './history';
export { EscalationMetrics } from './escalation.metrics';
export { ackToken, ackLink, caseLink, ACK_TOKEN_PATTERN } from './ack-links';
