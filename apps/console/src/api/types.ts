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
  teamId: string | null;
  deadlineAt: string | null;
  reasons?: string[];
  reason?: string;
  overdue?: boolean;
  openedAt?: string;
  updatedAt?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface CaseReport {
  id: string;
  envelope: unknown;
  hints: Record<string, unknown> | null;
  receivedAt: string;
  authorSignPk?: string;
}

export interface CaseView {
  id: string;
  shortRef?: string;
  teamId: string | null;
  state?: string;
  severity?: Severity;
  deadlineAt?: string | null;
  reasons?: string[];
  reporterId?: string;
  reporterBoxPk?: string;
  reporterSignPk?: string;
  reports: CaseReport[];
}

export interface StaffRow {
  id: string;
  login: string;
  label: string;
  role: Role;
  status: string;
  teamIds: string[];
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

export type Target = { type: 'staff'; staffId: string } | { type: 'team' | 'on_call' | 'supervisors'; teamId: string };
export type Step =
  | { type: 'notify'; targets: Target[]; mode?: 'all' | 'round_robin' }
  | { type: 'notify_if'; condition: { type: 'severity_at_least'; severity: Severity } | { type: 'local_time_between'; from: string; to: string }; targets: Target[]; mode?: 'all' | 'round_robin' }
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
