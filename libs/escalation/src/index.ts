/**
 * @panah/escalation — runs escalation policies: starts a run when a case opens, executes due
 * steps (engine), tells a case's people about updates on it (CaseUpdateNotifier), delivers
 * notifications with retries and fallback, sweeps up lost wake-ups, and serves
 * acknowledge/snooze/resolve, policies, contact methods and on-call to the API.
 */
export { EscalationModule } from './escalation.module';
export { EscalationEngine, type StartOutcome, type StepOutcome } from './escalation-engine.service';
export { CaseUpdateNotifier, type CaseUpdate, type CaseUpdateEvent } from './case-update-notifier.service';
export { CaseUpdatesModule } from './case-updates.module';
export { NotificationDelivery, type DeliveryOutcome } from './notification-delivery.service';
export { EscalationSweeper } from './escalation-sweeper.service';
export { CaseEventSweeper } from './case-event-sweeper.service';
export { EscalationCommands, type Actor, type RunView } from './escalation-commands.service';
export { EscalationPolicies, type PolicyView } from './escalation-policies.service';
export { ContactMethods, type ContactMethodView } from './contact-methods.service';
export { OnCallSchedules, type ScheduleInput } from './oncall-schedules.service';
export { EscalationHistory } from './escalation-history.service';
export { EscalationMetrics } from './escalation.metrics';
export { ackToken, ackLink, caseLink, ACK_TOKEN_PATTERN } from './ack-links';
