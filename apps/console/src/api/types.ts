/** Shapes of the API answers the console reads (mirrors the OpenAPI document). */
export type Role = 'admin' | 'supervisor' | 'caseworker';
export type Severity = 'low' | 'medium' | 'high' | 'critical';

export interface Me {
  staffId: string;
  login: string;
  label: string;
  role: Role;
  status: string;
  teams: { id: string; name: string }[];
  kdfSalt: string;
  boxPk: string;
  signPk: string;
  protectedSecret: string;
}

export interface RunView {
  id: string;
  caseId: string;
  shortRef: string;
  severity: string;
  state: 'active' | 'acknowledged' | 'snoozed' | 'resolved' | 'exhausted' | string;
  policyId: string;
  policyVersion: number;
  step: number;
  round: number;
  nextStepAt: string | null;
  overdue: boolean;
}

export interface CaseListItem {
  id: string;
  shortRef?: string;
  state: string;
  severity: Severity;
  reasons: string[];
  teamId: string | null;
  assigneeId: string | null;
  deadlineAt: string | null;
  openedAt: string;
  updatedAt: string;
  reportCount?: number;
  overdue?: boolean;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Grant {
  envelopeId: string;
  kid: string;
  wk: string;
  by: string;
  sig: string;
}

export interface KeyRef {
  kid: string;
  pk: string;
  label: string;
  staffId: string | null;
  role: 'reporter' | 'staff' | 'recovery';
}

export interface StaffKey {
  staffId: string;
  label: string;
  role: Role;
  status: string;
  boxKid: string;
  boxPk: string;
  signKid: string;
  signPk: string;
  teamIds?: string[];
}

export type TimelineEntry = { at: string } & (
  | {
      type: 'report';
      reportId: string;
      envelope: unknown;
      hints: Record<string, unknown> | null;
      attachments: { id: string; size: number }[];
    }
  | { type: 'attachment'; [k: string]: unknown }
  | {
      type: 'message';
      messageId: string;
      from: 'staff' | 'reporter';
      authorStaffId: string | null;
      envelope: unknown;
    }
  | { type: 'note'; noteId: string; authorStaffId: string; envelope: unknown }
  | { type: 'checkin'; kind: string }
  | { type: 'escalation'; kind: string; step: number; round: number; actorId: string | null }
  | { type: 'notification'; recipientId: string; channel: string; status: string; notificationKind: string }
  | { type: 'assignment'; assigneeId: string; byStaffId: string }
  | {
      type: 'handover';
      fromTeamId: string | null;
      teamId: string;
      assigneeId: string | null;
      byStaffId: string;
    }
);

export interface CaseDetail extends CaseListItem {
  resolvedAt: string | null;
  escalation: {
    id: string;
    state: string;
    acknowledgedBy: string | null;
    acknowledgedAt: string | null;
    step: number;
    round: number;
  } | null;
  reporter: { id: string; boxKid: string; boxPk: string; signKeys: { kid: string; signPk: string }[] };
  grants: Grant[];
  timeline: TimelineEntry[];
}

export interface CaseRecipients {
  message: KeyRef[];
  note: KeyRef[];
}

export interface StaffRow {
  id: string;
  login: string;
  label: string;
  role: Role;
  status: string;
  teamIds: string[];
  /** Memberships an admin added that wait for a second admin's approval. */
  pendingTeamIds?: string[];
  invitedBy: string | null;
  approvedBy: string | null;
  createdAt: string;
}

export interface Team {
  id: string;
  name: string;
  regions: string[];
  languages: string[];
  members: number;
}

export interface Invitation {
  id: string;
  kind: string;
  label: string;
  role: Role;
  teamIds: string[];
  createdBy: string | null;
  createdAt: string;
  expiresAt: string;
  expired: boolean;
}

export interface PolicyView {
  id: string;
  name: string;
  version: number;
  definition: PolicyDefinition;
}

export type Target =
  { type: 'staff'; staffId: string } | { type: 'team' | 'on_call' | 'supervisors'; teamId: string };
export type Step =
  | { type: 'notify'; targets: Target[]; mode?: 'all' | 'round_robin' }
  | {
      type: 'notify_if';
      condition:
        | { type: 'severity_at_least'; severity: Severity }
        | { type: 'local_time_between'; from: string; to: string };
      targets: Target[];
      mode?: 'all' | 'round_robin';
    }
  | { type: 'wait'; seconds: number }
  | { type: 'repeat'; fromStep: number; times: number }
  | { type: 'mark_overdue' };

export interface PolicyDefinition {
  steps: Step[];
  ackTimeoutSeconds: number | null;
  maxSnoozeSeconds: number;
}

export type SimEvent =
  | { at: string; kind: 'notify'; step: number; round: number; staffId: string; channel: string | null }
  | { at: string; kind: 'overdue'; step: number; round: number }
  | { at: string; kind: 'exhausted' }
  | { at: string; kind: 'acknowledged'; by: string }
  | { at: string; kind: 'reactivated' };

export interface Simulation {
  events: SimEvent[];
  finalState: string;
}

export interface AuditEntry {
  seq: string;
  at: string;
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}
