import { useId } from 'preact/hooks';

interface FieldProps {
  readonly type?: string;
  readonly name?: string;
  readonly autoComplete?: string;
  readonly inputMode?: 'text' | 'numeric' | 'email' | 'url';
  readonly required?: boolean;
  readonly autoCapitalize?: string;
  readonly spellcheck?: boolean;
  readonly label: string;
  readonly value: string;
  readonly onValue: (v: string) => void;
  readonly error?: string;
  readonly hint?: string;
  readonly multiline?: boolean;
}

/** A labelled input whose error sits under it, announced and tied with aria-describedby. */
export function Field({ label, value, onValue, error, hint, multiline, ...rest }: FieldProps) {
  const id = useId();
  const describedBy =
    [hint ? `${id}-hint` : '', error ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    value,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
    onInput: (e: Event) => onValue((e.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class={`field${error ? ' field-error' : ''}`}>
      <label for={id}>{label}</label>
      {multiline ? (
        <textarea name={rest.name} required={rest.required} {...common} rows={5} />
      ) : (
        <input {...(rest as Record<string, unknown>)} {...common} />
      )}
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="error-text" id={`${id}-err`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

interface SelectProps {
  readonly label: string;
  readonly value: string;
  readonly onValue: (v: string) => void;
  readonly options: readonly { value: string; label: string }[];
  readonly error?: string;
  readonly name?: string;
}

export function Select({ label, value, onValue, options, error, name }: SelectProps) {
  const id = useId();
  return (
    <div class={`field${error ? ' field-error' : ''}`}>
      <label for={id}>{label}</label>
      <select
        id={id}
        name={name}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-err` : undefined}
        onChange={(e) => onValue((e.currentTarget as HTMLSelectElement).value)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error && (
        <p class="error-text" id={`${id}-err`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
