import { useEffect, useState } from 'preact/hooks';
import { explain, Notice, Page, useApp } from '../app';
import { loadDeployment, state } from '../session';

export function WelcomeScreen() {
  const { tr, go, refresh } = useApp();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    loadDeployment().then(refresh, (e: unknown) => setError(explain(tr, e)));
  }, []);
  return (
    <Page title={tr.t('welcome.title')} testId="welcome">
      <p>{tr.t('welcome.intro')}</p>
      <p class="small">{tr.t('welcome.trace')}</p>
      {error && <Notice kind="error">{error}</Notice>}
      {state.directoryError && (
        <Notice kind="warn" testId="directory-warning">
          {tr.t('directory.refused')}
        </Notice>
      )}
      <div class="actions">
        <button
          type="button"
          class="primary big"
          data-testid="new-code"
          disabled={state.deploymentId === null}
          onClick={() => go({ name: 'newCode' })}
        >
          {tr.t('welcome.new')}
        </button>
        <button
          type="button"
          class="big"
          data-testid="have-code"
          disabled={state.deploymentId === null}
          onClick={() => go({ name: 'signIn' })}
        >
          {tr.t('welcome.have')}
        </button>
      </div>
    </Page>
  );
}
