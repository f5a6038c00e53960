import { OutboxMessage } from './outbox-message.entity';
import { identityEntities } from './identity';
import { escalationEntities } from './escalation';
import { Case, TriageRuleSetVersion } from './triage';
import { checkinEntities } from './checkins';
import { caseworkEntities } from './casework';
import {
  AttachmentChunk,
  KeyDirectory,
  Report,
  ReportAttachment,
  Reporter,
  ReporterDailyUsage,
  ReporterKey,
  ReporterMessage,
  ReporterSession,
  ReporterUploadLease,
} from './intake';

export { OutboxMessage };
export * from './intake';
export * from './triage';
export * from './identity';
export * from './escalation';
export * from './checkins';
export * from './casework';

/** Every entity, registered with the one DataSource. Add new entities here. */
export const entities = [
  OutboxMessage,
  Reporter,
  ReporterKey,
  ReporterSession,
  ReporterDailyUsage,
  ReporterUploadLease,
  KeyDirectory,
  Report,
  ReportAttachment,
  AttachmentChunk,
  ReporterMessage,
  ...identityEntities,
  Case,
  TriageRuleSetVersion,
  ...escalationEntities,
  ...checkinEntities,
  ...caseworkEntities,
];
