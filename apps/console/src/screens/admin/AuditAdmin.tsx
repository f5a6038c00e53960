import { useState } from 'preact/hooks';
import { call } from '../../api/http';
import type { AuditEntry } from '../../api/types';
import { Problem } from '../../components/Problem';
import { formatDateTime, useT } from '../../i18n';
import { useLoad } from './useLoad';

/** The audit log, newest first, paged; its head hash to compare with `panah audit verify`. */
export function AuditAdmin() {
  const t = useT();
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const page = useLoad(
    () =>
      call<{ entries: AuditEntry[]; nextCursor: string | null }>('GET', '/v1/admin/audit', {
        query: { cursor, limit: 25 },
      }),
    [cursor],
  );
  const head = cursors.length === 0 ? page.data?.entries[0] : undefined;
  return (
    <div class="stack">
      <h1>{t('nav.audit')}</h1>
      <Problem error={page.error} />
      {head && (
        <p class="notice" data-testid="audit-head">
          {t('audit.head', { seq: head.seq })} <code class="secret">{head.hash}</code>
          <br />
          {t('audit.compare')}
        </p>
      )}
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('audit.at')}</th>
              <th scope="col">{t('audit.action')}</th>
              <th scope="col">{t('audit.actor')}</th>
              <th scope="col">{t('audit.target')}</th>
            </tr>
          </thead>
          <tbody>
            {(page.data?.entries ?? []).map((e) => (
              <tr key={e.seq}>
                <td>{e.seq}</td>
                <td>{formatDateTime(e.at)}</td>
                <td dir="ltr">{e.action}</td>
                <td>
                  {e.actorType} {e.actorId?.slice(0, 8)}
                </td>
                <td>
                  {e.targetType} {e.targetId?.slice(0, 8)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="buttons">
        {cursors.length > 0 && (
          <button type="button" onClick={() => setCursors((c) => c.slice(0, -1))}>
            {t('audit.newer')}
          </button>
        )}
        {page.data?.nextCursor && (
          <button type="button" onClick={() => setCursors((c) => [...c, page.data!.nextCursor!])}>
            {t('audit.older')}
          </button>
        )}
      </div>
    </div>
  );
}
