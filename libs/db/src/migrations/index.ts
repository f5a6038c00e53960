import { Outbox1763900000000 } from './1763900000000-outbox';
import { Identity1763900100000 } from './1763900100000-identity';
import { Intake1763900200000 } from './1763900200000-intake';
import { Triage1763900300000 } from './1763900300000-triage';
import { Escalation1763900400000 } from './1763900400000-escalation';
import { Checkins1763900500000 } from './1763900500000-checkins';
import { CaseUpdateNotifications1763900600000 } from './1763900600000-case-update-notifications';
import { CaseAssignee1764000000000 } from './1764000000000-case-assignee';
import { CaseWork1764100000000 } from './1764100000000-case-work';
import { TeamRequests1764200000000 } from './1764200000000-team-requests';
import { ReporterQuotas1764330000000 } from './1764330000000-reporter-quotas';
import { CaseSignals1764340000000 } from './1764340000000-case-signals';
import { CaseUnacknowledgedSince1764400000000 } from './1764400000000-case-unacknowledged-since';
import { ReporterUploadLeases1764410000000 } from './1764410000000-reporter-upload-leases';

/** Every migration in order. Listed explicitly (no globs) so source and compiled code agree. */
export const migrations = [
  Outbox1763900000000,
  Identity1763900100000,
  Intake1763900200000,
  Triage1763900300000,
  Escalation1763900400000,
  Checkins1763900500000,
  CaseUpdateNotifications1763900600000,
  CaseAssignee1764000000000,
  CaseWork1764100000000,
  TeamRequests1764200000000,
  ReporterQuotas1764330000000,
  CaseSignals1764340000000,
  CaseUnacknowledgedSince1764400000000,
  ReporterUploadLeases1764410000000,
];
