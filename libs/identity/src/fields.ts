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

const UNIQUE: Record<string, { path: string; message: string; reason: IdentityReason }> = {
  staff_login_uq: { path: 'login', message: 'This login name is taken', reason: IdentityReason.LoginTaken },
  PK_e4ee98bb552756c180aec1e854a: {
    path: 'staffId',
    message: 'This staff id is taken',
    reason: IdentityReason.IdTaken,
  },
  teams_name_uq: {
    path: 'name',
    message: 'A team with this name exists',
    reason: IdentityReason.TeamNameTaken,
  },
};

/** A pg unique violation (23505) on one of our named indexes, as a 409 with a stable reason. */
export function uniqueViolation(error: unknown): DomainError | null {
  const e = error as {
    code?: string;
    constraint?: string;
    driverError?: { code?: string; constraint?: string };
  };
  const code = e.driverError?.code ?? e.code;
  const constraint = e.driverError?.constraint ?? e.constraint;
  if (code !== '23505') return null;
  const known = constraint ? UNIQUE[constraint] : undefined;
  return known
    ? new DomainError(
        ErrorCode.Conflict,
        known.message,
        [{ path: known.path, message: 'is taken' }],
        known.reason,
      )
    : new DomainError(ErrorCode.Conflict, 'Conflicts with an existing record');
}
