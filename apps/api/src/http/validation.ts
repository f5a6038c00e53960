import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldProblem, validationError } from '@panah/domain';

/** Flattens class-validator's tree into `recipients[2].wk`-style paths. */
export function fieldProblems(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const error of errors) {
    const path = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent
        ? `${parent}.${error.property}`
        : error.property;
    for (const message of Object.values(error.constraints ?? {})) out.push({ path, message });
    if (error.children?.length) out.push(...fieldProblems(error.children, path));
  }
  return out;
}

/** Strict DTO validation: unknown fields are errors, every problem names its field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false }, // never echo submitted values
    exceptionFactory: (errors) => validationError(fieldProblems(errors)),
  });
}
