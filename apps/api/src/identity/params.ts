import { ParseUUIDPipe } from '@nestjs/common';
import { validationError } from '@panah/domain';

/** A UUID path parameter; anything else is a 400 naming the parameter (never a database error). */
export function uuidParam(name: string): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () => validationError([{ path: name, message: 'must be a UUID' }]),
  });
}
