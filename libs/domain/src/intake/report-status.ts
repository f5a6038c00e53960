/**
 * What a reporter sees of their report. `received` until triage has opened or linked a case,
 * then it follows the case: `in_progress` once a caseworker works on it, `closed` when resolved.
 */
export const REPORT_STATUSES = ['received', 'triaged', 'in_progress', 'closed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export type ReportEvent = 'triaged' | 'case_acknowledged' | 'case_resolved' | 'case_reopened';

/**
 * The report status machine. Returns the next status, or null when the event does not apply
 * (callers treat null as "nothing to do", which keeps repeated jobs idempotent).
 */
export function nextReportStatus(current: ReportStatus, event: ReportEvent): ReportStatus | null {
  switch (event) {
    case 'triaged':
      return current === 'received' ? 'triaged' : null;
    case 'case_acknowledged':
      return current === 'triaged' ? 'in_progress' : null;
    case 'case_resolved':
      return current === 'triaged' || current === 'in_progress' ? 'closed' : null;
    case 'case_reopened':
      return current === 'closed' ? 'in_progress' : null;
  }
}

export function isReportStatus(value: unknown): value is ReportStatus {
  return typeof value === 'string' && (REPORT_STATUSES as readonly string[]).includes(value);
}
