/**
 * Alert severities, lowest first. The values are stored in runs and policies and sent in
 * notifications: never rename one. Triage decides a case's severity; escalation only orders them.
 */
export const ALERT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export function isAlertSeverity(value: unknown): value is AlertSeverity {
  return typeof value === 'string' && (ALERT_SEVERITIES as readonly string[]).includes(value);
}

/** Negative when a < b, zero when equal, positive when a > b. */
export function compareSeverity(a: AlertSeverity, b: AlertSeverity): number {
  return ALERT_SEVERITIES.indexOf(a) - ALERT_SEVERITIES.indexOf(b);
}
