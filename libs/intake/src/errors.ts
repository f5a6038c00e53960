import {
  DomainError,
  ErrorCode,
  FieldProblem,
  IntakeReason,
  type QuotaLimit,
  secondsUntilNextUtcDay,
} from '@panah/domain';

/** A 400 naming the field and the stable reason. */
export function badRequest(
  reason: IntakeReason | string,
  message: string,
  fields: readonly FieldProblem[] = [],
): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, message, fields, reason);
}

export function conflict(
  reason: IntakeReason,
  message: string,
  fields: readonly FieldProblem[] = [],
): DomainError {
  return new DomainError(ErrorCode.Conflict, message, fields, reason);
}

/** Someone else's report and a missing report look exactly alike. */
export function reportNotFound(): DomainError {
  return new DomainError(ErrorCode.NotFound, 'No such report', [], IntakeReason.ReportNotFound);
}

/**
 * The refusal of a request over a limit: the per-report attachment count is a 400 (as before),
 * stored bytes a 413, daily counts a 429. `fields[0].path` is the limit's name (`quota.bytes`,
 * `quota.reportsPerDay`, `quota.attachmentsPerDay`, `attachmentsPerReport`), its message the number.
 */
export function overLimit(over: QuotaLimit, now = new Date()): DomainError {
  switch (over.limit) {
    case 'attachmentsPerReport':
      return badRequest(IntakeReason.AttachmentLimit, `A report holds at most ${over.max} attachments`, [
        { path: 'attachmentsPerReport', message: `at most ${over.max} attachments per report` },
      ]);
    case 'bytes':
      return new DomainError(
        ErrorCode.PayloadTooLarge,
        `A reporter stores at most ${over.max} bytes of attachments (${over.remaining} left)`,
        [{ path: 'quota.bytes', message: `at most ${over.max} bytes stored (REPORTER_QUOTA_BYTES)` }],
        IntakeReason.QuotaBytes,
      );
    case 'attachmentsPerDay':
    case 'reportsPerDay': {
      const what = over.limit === 'reportsPerDay' ? 'reports' : 'attachments';
      const env =
        over.limit === 'reportsPerDay'
          ? 'REPORTER_QUOTA_REPORTS_PER_DAY'
          : 'REPORTER_QUOTA_ATTACHMENTS_PER_DAY';
      return new DomainError(
        ErrorCode.RateLimited,
        `At most ${over.max} ${what} per day (UTC); retry after ${secondsUntilNextUtcDay(now)} s`,
        [{ path: `quota.${over.limit}`, message: `at most ${over.max} ${what} per day (${env})` }],
        over.limit === 'reportsPerDay'
          ? IntakeReason.QuotaReportsPerDay
          : IntakeReason.QuotaAttachmentsPerDay,
        undefined,
        secondsUntilNextUtcDay(now),
      );
    }
  }
}

/** How soon a reporter refused for an upload in flight may try again (it usually ends in seconds). */
export const UPLOAD_IN_FLIGHT_RETRY_AFTER_SECONDS = 1;

/** A second attachment upload while the reporter's first is still streaming: a 429, retry after it ends. */
export function uploadInFlight(): DomainError {
  return new DomainError(
    ErrorCode.RateLimited,
    'Another attachment upload of this reporter is in progress; send attachments one at a time',
    [{ path: 'quota.uploadsInFlight', message: 'at most 1 attachment upload in flight per reporter' }],
    IntakeReason.QuotaUploadsInFlight,
    undefined,
    UPLOAD_IN_FLIGHT_RETRY_AFTER_SECONDS,
  );
}
