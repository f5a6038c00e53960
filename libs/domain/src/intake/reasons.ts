/**
 * Stable reason codes for refused intake requests: the `reason` of a 4xx body. Clients act on
 * them (e.g. refetch the directory on `envelope/unknown_recipient`). Never rename one.
 */
export const IntakeReason = {
  BadEnvelope: 'envelope/bad_format',
  /** Envelope v1 (signature without the recipients) is retired: clients must seal v2 (spec §1). */
  EnvelopeV1Retired: 'envelope/v1_retired',
  IdMismatch: 'envelope/id_mismatch',
  UnknownRecipient: 'envelope/unknown_recipient',
  UnknownAuthor: 'envelope/unknown_author',
  BadSignature: 'envelope/bad_signature',
  NoDirectory: 'directory/not_published',
  DirectoryRejected: 'directory/rejected',
  DirectoryNoRootKey: 'directory/no_root_key',
  DirectorySerialConflict: 'directory/serial_conflict',
  ReportConflict: 'report/conflict',
  ReportNotFound: 'report/not_found',
  BadReportId: 'report/bad_id',
  AttachmentConflict: 'attachment/conflict',
  AttachmentTooLarge: 'attachment/too_large',
  AttachmentBadSize: 'attachment/impossible_size',
  AttachmentLimit: 'attachment/too_many',
  AttachmentAborted: 'attachment/aborted',
  /** Per-reporter quotas (REPORTER_QUOTA_*): the 413/429 names the limit in `fields`. */
  QuotaBytes: 'quota/bytes_stored',
  QuotaReportsPerDay: 'quota/reports_per_day',
  QuotaAttachmentsPerDay: 'quota/attachments_per_day',
  /** One attachment upload in flight per reporter: a second concurrent one is a 429 (retry after it ends). */
  QuotaUploadsInFlight: 'quota/uploads_in_flight',
  PowInvalid: 'pow/invalid',
  PowExpired: 'pow/expired',
  PowReused: 'pow/reused',
  PowInsufficient: 'pow/insufficient',
  ReporterKeyTaken: 'reporter/key_taken',
  BadPublicKey: 'reporter/bad_public_key',
  SignInFailed: 'reporter/sign_in_failed',
} as const;
export type IntakeReason = (typeof IntakeReason)[keyof typeof IntakeReason];
