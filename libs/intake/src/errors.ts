import { DomainError, ErrorCode, FieldProblem, IntakeReason } from '@panah/domain';

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
