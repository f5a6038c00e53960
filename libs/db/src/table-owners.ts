/**
 * Which library owns each table (issue 14): all SQL that touches a table lives in its owner's
 * `*.repository.ts`; another library calls the owner's exported methods. Checked by
 * test/foundation/table-ownership.e2e-spec.ts against the migrated schema (every table has an
 * owner) and against the source (no library names another's table in its SQL).
 */
export const TABLE_OWNERS = {
  outbox: 'queue',
  audit_log: 'audit',
  audit_chain_head: 'audit',
  staff: 'identity',
  staff_invitations: 'identity',
  staff_recovery_codes: 'identity',
  staff_sessions: 'identity',
  staff_team_requests: 'identity',
  staff_teams: 'identity',
  teams: 'identity',
  reporters: 'intake',
  reporter_keys: 'intake',
  reporter_sessions: 'intake',
  reporter_daily_usage: 'intake',
  reporter_upload_leases: 'intake',
  reporter_messages: 'intake',
  reports: 'intake',
  report_attachments: 'intake',
  attachment_chunks: 'intake',
  key_directories: 'intake',
  cases: 'cases',
  case_events: 'cases',
  case_grants: 'cases',
  case_notes: 'cases',
  triage_rule_sets: 'triage',
  checkin_plans: 'checkins',
  checkin_reminders: 'checkins',
  checkins: 'checkins',
  case_safety_events: 'checkins',
  duress_alerts: 'checkins',
  panic_events: 'checkins',
  reporter_duress_settings: 'checkins',
  escalation_policies: 'escalation',
  escalation_policy_versions: 'escalation',
  escalation_runs: 'escalation',
  escalation_run_events: 'escalation',
  escalation_ack_links: 'escalation',
  oncall_schedules: 'escalation',
  oncall_overrides: 'escalation',
  escalation_notifications: 'escalation',
  escalation_notification_attempts: 'escalation',
  contact_methods: 'escalation',
  staff_notification_settings: 'escalation',
} as const satisfies Record<string, string>;

export type OwnedTable = keyof typeof TABLE_OWNERS;
