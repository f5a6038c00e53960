import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorNotice, explain, Notice, Page, useApp } from '../app';
import { ProgressBar } from '../components/Progress';
import { crypto } from '../crypto/client';
import { persianDigits, type Translator } from '../i18n';
import { signInWithDerivedKeys } from '../session';

function CodeGroups({ code, tr, testId }: { code: string; tr: Translator; testId: string }) {
  return (
    <div class="code" data-testid={testId}>
      <p class="code-groups" dir="ltr" lang="en">
        {code.split(' ').map((g, i) => (
          <span key={i}>{g}</span>
        ))}
      </p>
      {tr.dir === 'rtl' && (
        <p class="code-groups alt" dir="ltr">
          {persianDigits(code)
            .split(' ')
            .map((g, i) => (
              <span key={i}>{g}</span>
            ))}
        </p>
      )}
    </div>
  );
}

/**
 * Creates an identity: the access code (shown once, five groups), an optional duress code, then
 * proof of work + Argon2id in the worker with progress, registration and the first sign-in.
 */
export function NewCodeScreen() {
  const { tr, go } = useApp();
  const [codes, setCodes] = useState<{ code: string; duress: string } | null>(null);
  const [withDuress, setWithDuress] = useState(false);
  const [written, setWritten] = useState(false);
  const [progress, setProgress] = useState<{ value: number; label: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    crypto.newCodes().then(setCodes, (e: unknown) => setError(explain(tr, e)));
  }, []);

  const register = async (): Promise<void> => {
    if (!codes) return;
    setError(null);
    const steps = withDuress ? 4 : 3;
    const at = (step: number, label: string) => (f: number) =>
      setProgress({ value: (step + f) / steps, label });
    try {
      at(0, tr.t('work.pow'))(0);
      const pow = await api.powChallenge();
      const nonce = await crypto.solvePow(pow.challenge, pow.difficulty, at(0, tr.t('work.pow')));
      let duress: { signPk: string; boxPk: string } | undefined;
      if (withDuress) {
        const d = await crypto.derive(codes.duress, 'duress', at(1, tr.t('work.duress')));
        duress = { signPk: d.signPk, boxPk: d.boxPk };
      }
      const me = await crypto.derive(codes.code, 'primary', at(steps - 2, tr.t('work.keys')));
      at(steps - 1, tr.t('work.register'))(0);
      await api.register({
        signPk: me.signPk,
        boxPk: me.boxPk,
        ...(duress ? { duress } : {}),
        pow: { challenge: pow.challenge, nonce },
      });
      await signInWithDerivedKeys(me.reporterId);
      setCodes(null);
      go({ name: 'home' });
    } catch (e) {
      setProgress(null);
      setError(explain(tr, e));
    }
  };

  return (
    <Page title={tr.t('code.title')} testId="new-code">
      {codes && (
        <>
          <Notice kind="warn">{tr.t('code.once')}</Notice>
          <CodeGroups code={codes.code} tr={tr} testId="access-code" />
          <p>{tr.t('code.writeDown')}</p>
          <p class="small">{tr.t('code.lost')}</p>
          <fieldset class="box">
            <label class="check">
              <input
                type="checkbox"
                data-testid="want-duress"
                checked={withDuress}
                onChange={(e) => setWithDuress((e.target as HTMLInputElement).checked)}
              />
              <span>{tr.t('code.duressWant')}</span>
            </label>
            <p class="small">{tr.t('code.duressExplain')}</p>
            {withDuress && <CodeGroups code={codes.duress} tr={tr} testId="duress-code" />}
          </fieldset>
          <label class="check">
            <input
              type="checkbox"
              data-testid="written"
              checked={written}
              onChange={(e) => setWritten((e.target as HTMLInputElement).checked)}
            />
            <span>{tr.t('code.written')}</span>
          </label>
        </>
      )}
      {progress && <ProgressBar value={progress.value} label={progress.label} />}
      {progress && <p class="small">{tr.t('work.slow')}</p>}
      <ErrorNotice error={error} />
      <div class="actions">
        <button
          type="button"
          class="primary big"
          data-testid="register"
          disabled={!codes || !written || progress !== null}
          onClick={() => void register()}
        >
          {tr.t('code.continue')}
        </button>
        <button type="button" onClick={() => go({ name: 'welcome' })} disabled={progress !== null}>
          {tr.t('common.back')}
        </button>
      </div>
    </Page>
  );
}
