import { DomainError, ErrorCode, type FieldProblem } from '@panah/domain';

/** Stable reasons for refusals of this capability (part of the API contract: never rename). */
export const CheckinReason = {
  BadPlan: 'checkin/bad_plan',
  NoPlan: 'checkin/no_plan',
  BadSignature: 'checkin/bad_signature',
  StaleSignature: 'checkin/stale_signature',
  BadEnvelope: 'checkin/bad_envelope',
  IdTaken: 'checkin/id_taken',
  BadPause: 'checkin/bad_pause',
  CaseNotFound: 'checkin/case_not_found',
} as const;

export function invalid(reason: string, message: string, fields: readonly FieldProblem[]): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, message, fields, reason);
}

export function noPlan(): DomainError {
  return new DomainError(ErrorCode.NotFound, 'No check-in plan', [], CheckinReason.NoPlan);
}

export function idTaken(path: string): DomainError {
  return new DomainError(
    ErrorCode.Conflict,
    'This id is already used',
    [{ path, message: 'is already used' }],
    CheckinReason.IdTaken,
  );
}
