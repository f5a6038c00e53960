import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { ErrorNotice, explain, Page, useApp } from '../app';
import { ProgressBar } from '../components/Progress';
import { crypto, CryptoError } from '../crypto/client';
import { signInWithDerivedKeys } from '../session';

/**
 * Sign-in with an access code on any device. A duress code signs in the same way and shows the
 * same screens; only the server knows.
 */
export function SignInScreen() {
  const { tr, go } = useApp();
  const [code, setCode] = useState('');
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setError(null);
    try {
      await crypto.normalise(code);
    } catch (err) {
      setError(err instanceof CryptoError ? tr.t('err.code') : explain(tr, err));
      return;
    }
    setProgress(0);
    try {
      const me = await crypto.derive(code, 'primary', (f) => setProgress(f * 0.9));
      setCode('');
      await signInWithDerivedKeys(me.reporterId);
      go({ name: 'home' });
    } catch (err) {
      setProgress(null);
      setError(err instanceof ApiError && err.status === 401 ? tr.t('err.notRecognised') : explain(tr, err));
    }
  };

  return (
    <Page title={tr.t('signin.title')} testId="sign-in">
      <form onSubmit={(e) => void submit(e)} autocomplete="off">
        <label class="field">
          <span>{tr.t('signin.label')}</span>
          <input
            type="text"
            inputMode="numeric"
            autocomplete="off"
            autocorrect="off"
            spellcheck={false}
            dir="ltr"
            data-testid="code-input"
            value={code}
            onInput={(e) => setCode((e.target as HTMLInputElement).value)}
          />
          <span class="small">{tr.t('signin.hint')}</span>
        </label>
        {progress !== null && <ProgressBar value={progress} label={tr.t('work.keys')} />}
        <ErrorNotice error={error} />
        <div class="actions">
          <button
            type="submit"
            class="primary big"
            data-testid="sign-in"
            disabled={progress !== null || code.trim() === ''}
          >
            {tr.t('signin.button')}
          </button>
          <button type="button" onClick={() => go({ name: 'welcome' })} disabled={progress !== null}>
            {tr.t('common.back')}
          </button>
        </div>
      </form>
    </Page>
  );
}
