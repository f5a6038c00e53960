import { fromB64uExact } from '@panah/crypto';
import { DomainError, ErrorCode, IdentityReason, validationError } from '@panah/domain';

/** Decodes a base64url field of an exact length, or a 400 naming the field (never a 500). */
export function b64uField(value: string, bytes: number, path: string): Uint8Array {
  try {
    return fromB64uExact(value, bytes, path);
  } catch {
    throw validationError([{ path, message: `must be ${bytes} bytes in base64url` }]);
  }
}

/** A pg unique violation (23505) on one of our named indexes, as a 409 with a stable reason. */
export function uniqueViolation(error: unknown): DomainError | null {
  const e = error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const code = e.driverError?.code ?? e.code;
  const constraint = e.driverError?.constraint ?? e.constraint;
  if (code !== '23505') return null;
  switch (constraint) {
    case 'staff_login_uq':
      return new DomainError(ErrorCode.Conflict, 'This login name is taken', [{ path: 'login', message: 'is taken' }], IdentityReason.LoginTaken);
    case 'PK_e4ee98bb552756c180aec1e854a':
      return new DomainError(ErrorCode.Conflict, 'This staff id is taken', [{ path: 'staffId', message: 'is taken' }], IdentityReason.IdTaken);
    case 'teams_name_uq':
      return new DomainError(ErrorCode.Conflict, 'A team with this name exists', [{ path: 'name', message: 'is taken' }], IdentityReason.TeamNameTaken);
    default:
      return new DomainError(ErrorCode.Conflict, 'Conflicts with an existing record');
  }
}
