/**
 * Per-reporter quotas (issue 18 point 7): what one reporter may store and send. A day is a UTC
 * day. Pure decisions; the repository supplies the usage under a per-reporter lock, so parallel
 * requests cannot each see room for one more.
 */
export interface ReporterQuota {
  /** Attachment bytes stored across all of the reporter's reports. */
  readonly bytes: number;
  readonly reportsPerDay: number;
  readonly attachmentsPerDay: number;
}

/** The reporter's usage as an upload sees it (before its own attachment is counted). */
export interface AttachmentUsage {
  /** Attachments the report already holds. */
  readonly reportAttachments: number;
  /** Attachment bytes the reporter already stores. */
  readonly bytesStored: number;
  /** Attachments the reporter stored today (UTC). */
  readonly attachmentsToday: number;
}

/** The limit a request would break, by the name a client and an operator both recognise. */
export type QuotaLimit =
  | { readonly limit: 'attachmentsPerReport'; readonly max: number }
  | { readonly limit: 'bytes'; readonly max: number; readonly remaining: number }
  | { readonly limit: 'attachmentsPerDay'; readonly max: number }
  | { readonly limit: 'reportsPerDay'; readonly max: number };

/**
 * Whether one more attachment of `size` bytes fits (`size` null: not known yet, checks the counts
 * and that any byte at all is left). Checked in this order, so the answer names the first limit hit.
 */
export function attachmentOverLimit(
  usage: AttachmentUsage,
  quota: ReporterQuota,
  perReport: number,
  size: number | null,
): QuotaLimit | null {
  if (usage.reportAttachments >= perReport) return { limit: 'attachmentsPerReport', max: perReport };
  if (usage.attachmentsToday >= quota.attachmentsPerDay)
    return { limit: 'attachmentsPerDay', max: quota.attachmentsPerDay };
  const remaining = Math.max(0, quota.bytes - usage.bytesStored);
  if (size === null ? remaining === 0 : size > remaining)
    return { limit: 'bytes', max: quota.bytes, remaining };
  return null;
}

/** Attachment bytes the reporter may still store (an upload is cut off beyond them). */
export function bytesRemaining(usage: Pick<AttachmentUsage, 'bytesStored'>, quota: ReporterQuota): number {
  return Math.max(0, quota.bytes - usage.bytesStored);
}

/** Seconds until the next UTC day, when the daily quotas start again. */
export function secondsUntilNextUtcDay(now: Date): number {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000));
}
