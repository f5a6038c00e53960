import { ValidateBy, type ValidationOptions } from 'class-validator';

/** Printable single-line text: labels and names are shown to admins, never interpreted. */
export const PLAIN_TEXT = /^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+$/u;
export const PLAIN_TEXT_MESSAGE = 'must be a single line of printable text';

/**
 * Refuses a string with nothing but whitespace in it (spaces, tabs, no-break and ideographic
 * spaces): a name or label admins must tell apart, so `""`, `" "` and `"\u00a0"` are no name.
 */
export function NotBlank(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'notBlank',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && /\S/u.test(value),
        defaultMessage: () => 'must not be empty or only whitespace',
      },
    },
    options,
  );
}
