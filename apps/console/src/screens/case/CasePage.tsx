import { useEffect, useMemo, useState } from 'preact/hooks';
import type { CaseView, RunView } from '../../api/types';
import { Problem } from '../../components/Problem';
import { formatDateTime, useT } from '../../i18n';
import { session } from '../../session';
import { useStore } from '../../store';
import { AlertActions } from '../alert/AlertActions';
import { Attachment } from './Attachment';
import { openForMe, type Opened } from './casecrypto';
import { loadCaseSummary, loadRun } from './load';

interface Item {
  readonly key: string;
  readonly at: string;
  readonly kind: 'report' | 'message' | 'note' | 'event';
  readonly label: string;
  readonly opened: Opened | null;
}

/** The case page: the alert actions, then the whole timeline, decrypted here. */
export function CasePage({ id }: { readonly id: string }) {
  const t = useT();
  const s = useStore(session);
  const [view, setView] = useState<CaseView | null>(null);
  const [run, setRun] = useState<RunView | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    setError(null);
    void (async () => {
      try {
        const summary = await loadCaseSummary(id);
        const r = await loadRun(id);
        if (!live) return;
        setView(summary.view);
        setRun(r);
      } catch (err) {
        if (live) setError(err);
      }
    })();
    return () => {
      live = false;
    };
  }, [id]);

  const items = useMemo<Item[]>(() => {
    if (!view || !s) return [];
    const out: Item[] = view.reports.map((r) => ({
      key: `r-${r.id}`,
      at: r.receivedAt,
      kind: 'report',
      label: t('case.report'),
      opened: openForMe(r.envelope, s.keys, r.authorSignPk ?? view.reporterSignPk),
    }));
    return out.sort((a, b) => a.at.localeCompare(b.at));
  }, [view, s]);

  if (error) return <Problem error={error} />;
  if (!view) return <p role="status">{t('common.loading')}</p>;
  return (
    <div class="stack">
      <AlertActions run={run} shortRef={run?.shortRef ?? view.shortRef} severity={run?.severity ?? view.severity} deadline={view.deadlineAt} onChange={setRun} />
      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t('case.timeline')}</h2>
        <ol class="timeline">
          {items.map((item) => (
            <li key={item.key} class={`tl tl-${item.kind}`}>
              <header>
                <strong>{item.label}</strong> <time dateTime={item.at}>{formatDateTime(item.at)}</time>{' '}
                {item.opened && <span class={`verify verify-${item.opened.verification}`}>{t(`verify.${item.opened.verification}`)}</span>}
              </header>
              {item.opened?.ok ? (
                <div class="plaintext" dir="auto">
                  {item.opened.text}
                </div>
              ) : (
                item.opened && <p class="problem">{t('case.cannotOpen')}</p>
              )}
              {item.opened?.attachments.map((a) => <Attachment key={a.id} caseId={id} ref_={a} />)}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
