import { useState } from 'preact/hooks';
import { Credentials, KdfSubmit } from '../../components/Credentials';
import { Field } from '../../components/Field';
import { asciiDigits, useT } from '../../i18n';
import { lastLogin, signIn, signedOutReason } from '../../session';
import { useStore } from '../../store';

/** Sign-in (crypto-v1 §4): the password never leaves this page; only authKey is sent. */
export function SignIn() {
  const t = useT();
  const reason = useStore(signedOutReason);
  const [login, setLogin] = useState(lastLogin);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [useRecovery, setUseRecovery] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const normal = asciiDigits(code).replace(/\s+/g, '');
      await signIn(
        {
          login: login.trim().toLowerCase(),
          password,
          ...(useRecovery ? { recoveryCode: code.trim().toUpperCase() } : { totpCode: normal }),
        },
        setProgress,
      );
      setPassword('');
    } catch (err) {
      setError(err);
      setCode('');
    } finally {
      setBusy(false);
      setProgress(null);
    }
  };

  return (
    <form class="card signin" onSubmit={submit} aria-labelledby="signin-title">
      <h1 id="signin-title">{t('signin.title')}</h1>
      {reason !== 'none' && reason !== 'signed_out' && (
        <p class="notice" role="status">
          {t(`signin.reason.${reason}`)}
        </p>
      )}
      <Credentials login={login} onLogin={setLogin} password={password} onPassword={setPassword} />
      <Field
        label={useRecovery ? t('signin.recovery') : t('signin.totp')}
        value={code}
        onValue={setCode}
        name="code"
        inputMode={useRecovery ? 'text' : 'numeric'}
        autoComplete="one-time-code"
        required
      />
      <label class="check">
        <input
          type="checkbox"
          checked={useRecovery}
          onChange={(e) => setUseRecovery((e.currentTarget as HTMLInputElement).checked)}
        />
        {t('signin.useRecovery')}
      </label>
      <KdfSubmit progress={progress} error={error} busy={busy}>
        {busy ? t('signin.busy') : t('signin.submit')}
      </KdfSubmit>
      <p class="hint">
        <a href="/console/#/register">{t('signin.haveInvitation')}</a>
      </p>
    </form>
  );
}
