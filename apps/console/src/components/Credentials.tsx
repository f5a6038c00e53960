import type { ComponentChildren } from 'preact';
import { useT } from '../i18n';
import { Field } from './Field';
import { KdfProgress } from './Progress';
import { Problem } from './Problem';

interface CredentialsProps {
  readonly login: string;
  readonly onLogin: (v: string) => void;
  readonly password: string;
  readonly onPassword: (v: string) => void;
  /** Registration picks a new password (the browser's password manager offers to save it). */
  readonly newPassword?: boolean;
  /** Registration asks for the new password a second time. */
  readonly confirm?: { readonly value: string; readonly onValue: (v: string) => void };
  readonly errors?: { readonly login?: string; readonly password?: string; readonly confirm?: string };
  readonly loginHint?: string;
}

/**
 * Login name and password (and at registration the password again), as sign-in and registration
 * both ask for them (crypto-v1 §4).
 */
export function Credentials({
  login,
  onLogin,
  password,
  onPassword,
  newPassword = false,
  confirm,
  errors = {},
  loginHint,
}: CredentialsProps) {
  const t = useT();
  const passwords = [
    {
      name: 'password' as const,
      label: t('signin.password'),
      value: password,
      onValue: onPassword,
      autoComplete: newPassword ? 'new-password' : 'current-password',
    },
    ...(confirm
      ? [
          {
            name: 'confirm' as const,
            label: t('register.confirm'),
            value: confirm.value,
            onValue: confirm.onValue,
            autoComplete: 'new-password',
          },
        ]
      : []),
  ];
  return (
    <>
      <Field
        label={t('signin.login')}
        value={login}
        onValue={onLogin}
        name="login"
        error={errors.login}
        hint={loginHint}
        autoComplete="username"
        autoCapitalize="none"
        spellcheck={false}
        required={!newPassword}
      />
      {passwords.map((p) => (
        <Field key={p.name} {...p} type="password" error={errors[p.name]} required={!newPassword} />
      ))}
    </>
  );
}

/** The foot of a form that derives keys: Argon2id progress, what went wrong, the submit button. */
export function KdfSubmit({
  progress,
  error,
  busy,
  children,
}: {
  readonly progress: number | null;
  readonly error: unknown;
  readonly busy: boolean;
  readonly children: ComponentChildren;
}) {
  return (
    <>
      <KdfProgress fraction={progress} />
      <Problem error={error} />
      <button type="submit" class="primary" disabled={busy}>
        {children}
      </button>
    </>
  );
}
