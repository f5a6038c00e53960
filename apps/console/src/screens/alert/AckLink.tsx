import { useEffect, useState } from 'preact/hooks';
import { call } from '../../api/http';
import type { RunView } from '../../api/types';
import { Problem } from '../../components/Problem';
import { useT } from '../../i18n';
import { navigate } from '../../router';
import type { CaseDetail } from '../../api/types';
import { loadCase } from '../case/load';
import { AlertActions } from './AlertActions';

/**
 * `/ack#pk_…`: after sign-in, describe the link (changes nothing), then show the case's reference,
 * severity and deadline with the Acknowledge button. The token stays in the fragment and is only
 * ever sent in a POST body.
 */
export function AckLink({ token }: { readonly token: string }) {
  const t = useT();
  const [run, setRun] = useState<RunView | null>(null);
  const [summary, setSummary] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    void (async () => {
      try {
        if (!/^pk_[A-Za-z0-9_-]{10,64}$/.test(token)) throw new Error(t('alert.badLink'));
        const described = await call<RunView>('POST', '/v1/escalation-links/describe', { body: { token } });
        if (!live) return;
        setRun(described);
        setSummary(await loadCase(described.caseId));
      } catch (err) {
        if (live) setError(err);
      }
    })();
    return () => {
      live = false;
    };
  }, [token]);

  return (
    <div class="stack">
      <Problem error={error} />
      {run && (
        <AlertActions
          run={run}
          ackToken={token}
          shortRef={run.shortRef}
          severity={run.severity}
          deadline={summary?.deadlineAt}
          onChange={setRun}
        />
      )}
      {run && (
        <p>
          <a
            href={`/console/#/case/${run.caseId}`}
            onClick={(e) => {
              e.preventDefault();
              navigate({ name: 'case', id: run.caseId });
            }}
          >
            {t('alert.openCase')}
          </a>
        </p>
      )}
    </div>
  );
}
