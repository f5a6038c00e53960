import { useEffect, useState } from 'preact/hooks';
import { call } from '../../api/http';
import type { CaseListItem, Page } from '../../api/types';
import { Countdown, SeverityBadge } from '../../components/Countdown';
import { Select } from '../../components/Field';
import { Problem } from '../../components/Problem';
import { useT } from '../../i18n';
import { navigate } from '../../router';
import { session } from '../../session';

const SEVERITIES = ['', 'critical', 'high', 'medium', 'low'];
const STATES = ['', 'open', 'acknowledged', 'resolved'];

/** My cases, or the team queue: filters, keyset paging ("more"), deadlines counting down. */
export function CaseList({ scope }: { readonly scope: 'mine' | 'queue' }) {
  const t = useT();
  const [severity, setSeverity] = useState('');
  const [state, setState] = useState('');
  const [items, setItems] = useState<CaseListItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  const load = async (from: string | null) => {
    setLoading(true);
    setError(null);
    try {
      const page = await call<Page<CaseListItem>>('GET', '/v1/cases', {
        query: {
          assigneeId: scope === 'mine' ? session.get()?.me.staffId : undefined,
          severity: severity || undefined,
          state: state || undefined,
          cursor: from ?? undefined,
          limit: 25,
        },
      });
      setItems((prev) => (from ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    void load(null);
  }, [scope, severity, state]);

  return (
    <section aria-labelledby="list-title" class="stack">
      <h1 id="list-title">{scope === 'mine' ? t('nav.mine') : t('nav.queue')}</h1>
      <div class="filters">
        <Select
          label={t('cases.severity')}
          value={severity}
          onValue={setSeverity}
          options={SEVERITIES.map((s) => ({ value: s, label: s ? t(`severity.${s}`) : t('cases.any') }))}
        />
        <Select
          label={t('cases.state')}
          value={state}
          onValue={setState}
          options={STATES.map((s) => ({ value: s, label: s ? t(`caseState.${s}`) : t('cases.any') }))}
        />
      </div>
      <Problem error={error} />
      {items.length === 0 && !loading && !error && <p>{t('cases.empty')}</p>}
      <ul class="case-list">
        {items.map((c) => {
          const overdue =
            c.overdue ||
            (c.deadlineAt !== null && new Date(c.deadlineAt).getTime() < Date.now() && c.state === 'open');
          return (
            <li key={c.id} class={overdue ? 'overdue' : ''}>
              <a
                href={`/console/#/case/${c.id}`}
                onClick={(e) => {
                  e.preventDefault();
                  navigate({ name: 'case', id: c.id });
                }}
              >
                <span class="ref">{c.shortRef ?? c.id.slice(0, 8).toUpperCase()}</span>{' '}
                <SeverityBadge severity={c.severity} /> <span class="state">{t(`caseState.${c.state}`)}</span>{' '}
                <span class="reason">{(c.reasons ?? []).map((r) => t(`reason.${r}`)).join(', ')}</span>{' '}
                {c.state !== 'resolved' && <Countdown deadline={c.deadlineAt} />}
              </a>
            </li>
          );
        })}
      </ul>
      {cursor && (
        <button type="button" onClick={() => load(cursor)} disabled={loading}>
          {t('common.more')}
        </button>
      )}
    </section>
  );
}
