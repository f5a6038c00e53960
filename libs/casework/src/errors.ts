import { DomainError, ErrorCode, type FieldProblem } from '@panah/domain';

/** Stable reason codes of case work (the `reason` of a 4xx). Never rename one. */
export const CaseworkReason = {
  CaseNotFound: 'case/not_found',
  AttachmentNotFound: 'attachment/not_found',
  BadEnvelope: 'envelope/bad_format',
  EnvelopeV1Retired: 'envelope/v1_retired',
  IdMismatch: 'envelope/id_mismatch',
  UnknownAuthor: 'envelope/unknown_author',
  BadSignature: 'envelope/bad_signature',
  UnknownRecipient: 'envelope/unknown_recipient',
  MissingRecipient: 'envelope/missing_recipient',
  NoDirectory: 'directory/not_published',
  MessageConflict: 'message/conflict',
  NoteConflict: 'note/conflict',
  ReportNotFound: 'report/not_found',
  KeyNotFound: 'key/not_found',
  BadGrant: 'grant/bad_format',
  GrantBadSignature: 'grant/bad_signature',
  GrantUnknownEnvelope: 'grant/unknown_envelope',
  GrantNotAllowed: 'grant/not_allowed',
  BadAssignee: 'case/bad_assignee',
  BadTeam: 'case/bad_team',
  AssignForbidden: 'case/assign_forbidden',
} as const;
export type CaseworkReason = (typeof CaseworkReason)[keyof typeof CaseworkReason];

export function badRequest(
  reason: CaseworkReason,
  message: string,
  fields: readonly FieldProblem[] = [],
): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, message, fields, reason);
}

export function conflict(
  reason: CaseworkReason,
  message: string,
  fields: readonly FieldProblem[] = [],
): DomainError {
  return new DomainError(ErrorCode.Conflict, message, fields, reason);
}

/** Someone else's case and a missing case look exactly alike (no probing of case ids). */
export function caseNotFound(): DomainError {
  return new DomainError(ErrorCode.NotFound, 'No such case', [], CaseworkReason.CaseNotFound);
}

/** Someone else's report and a missing report look exactly alike. */
export function reportNotFound(): DomainError {
  return new DomainError(ErrorCode.NotFound, 'No such report', [], CaseworkReason.ReportNotFound);
}

export function badCursor(): DomainError {
  return new DomainError(
    ErrorCode.ValidationFailed,
    'Invalid cursor',
    [{ path: 'cursor', message: 'must be an id from the previous page' }],
    'request/bad_cursor',
  );
}
