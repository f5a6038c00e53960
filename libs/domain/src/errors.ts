/**
 * Error codes owned by the domain. Only apps/api maps them to HTTP statuses (its error filter);
 * everything else throws DomainError with one of these codes and never thinks about HTTP.
 * Codes are part of the API contract: never rename one.
 */
export const ErrorCode = {
  ValidationFailed: 'request/validation_failed',
  MalformedJson: 'request/malformed_json',
  PayloadTooLarge: 'request/payload_too_large',
  UnsupportedMediaType: 'request/unsupported_media_type',
  NotFound: 'request/not_found',
  RateLimited: 'request/rate_limited',
  Unauthenticated: 'auth/unauthenticated',
  Forbidden: 'auth/forbidden',
  Conflict: 'request/conflict',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface FieldProblem {
  /** Path of the offending field, e.g. `recipients[2].wk`. */
  readonly path: string;
  readonly message: string;
}

/**
 * `code` is the category (it decides the HTTP status); `reason` is the specific, stable cause a
 * client can act on, owned by the capability that throws it (e.g. `invitation/expired`,
 * `envelope/unknown_recipient`). Messages are for humans and never contain secrets or content.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: readonly FieldProblem[] = [],
    readonly reason?: string,
    /** Extra answer fields a client acts on (e.g. a proof-of-work challenge); never secrets. */
    readonly extra?: Readonly<Record<string, unknown>>,
    /** When a retry may succeed (a 429's `Retry-After` header, whole seconds). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** A request whose fields are at fault; `fields` names each one. */
export function validationError(
  fields: readonly FieldProblem[],
  message = 'Request validation failed',
): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, message, fields);
}
