import {
  ContactMethod,
  OnCallOverrideRow,
  OnCallScheduleRow,
  StaffNotificationSettings,
} from './contact.entity';
import { EscalationNotification, EscalationNotificationAttempt } from './notification.entity';
import { EscalationPolicy, EscalationPolicyVersion } from './policy.entity';
import { EscalationAckLink, EscalationRun, EscalationRunEvent } from './run.entity';

export {
  ContactMethod,
  EscalationAckLink,
  EscalationNotification,
  EscalationNotificationAttempt,
  EscalationPolicy,
  EscalationPolicyVersion,
  EscalationRun,
  EscalationRunEvent,
  OnCallOverrideRow,
  OnCallScheduleRow,
  StaffNotificationSettings,
};

/** Escalation, notifications and on-call. */
export const escalationEntities = [
  EscalationPolicy,
  EscalationPolicyVersion,
  EscalationRun,
  EscalationRunEvent,
  EscalationAckLink,
  EscalationNotification,
  EscalationNotificationAttempt,
  ContactMethod,
  StaffNotificationSettings,
  OnCallScheduleRow,
  OnCallOverrideRow,
];
