import { useEffect, useState } from 'preact/hooks';
import { api, type MessageItem, type Reminder, type ReportView } from '../api';
import { explain, Notice, Page, useApp, type MessageKey } from '../app';
import { signOut, state, uuid } from '../session';

export const STATUS_KEYS: Record<ReportView['status'], MessageKey> = {
  received: 'status.received',
  triaged: 'status.triaged',
  in_progress: 'status.in_progress',
  closed: 'status.closed',
};

export function HomeScreen() {
  const { tr, go } = useApp();
  const [reports, setReports] = useState<ReportView[] | null>(null);
  const [messages, setMessages] = useState<MessageItem[]>([]);
  const [reminders, setReminders] = useState<Reminder[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    Promise.all([api.reports(), api.messages(), api.reminders().catch(() => ({ items: [] }))]).then(
      ([r, m, rem]) => {
        setReports(r.items);
        setMessages(m.items);
        const now = Date.now();
        setReminders(
          rem.items.filter((x) => Date.parse(x.remindAt) <= now && Date.parse(x.deadline) > now - 3600_000),
        );
      },
      (e: unknown) => setError(explain(tr, e)),
    );
  }, []);

  // Caseworkers write on the case (reportId null), reporters answer on a report: a report's thread shows both.
  const fromStaff = (reportId: string) =>
    messages.filter((m) => (m.reportId === reportId || m.reportId === null) && m.from === 'staff').length;
  const loose =
    reports !== null && reports.length === 0 ? messages.filter((m) => m.reportId === null).length : 0;

  return (
    <Page title={tr.t('home.title')} testId="home">
      {reminders.length > 0 && (
        <Notice kind="warn" testId="reminder">
          {tr.t('home.reminder', { time: tr.time(reminders[0].deadline) })}
        </Notice>
      )}
      <div class="actions">
        <button
          type="button"
          class="primary big"
          data-testid="new-report"
          onClick={() => {
            state.draft ??= {
              reportId: uuid(),
              what: '',
              who: '',
              where: '',
              when: '',
              needs: '',
              category: '',
              imminence: '',
              namedOnList: '',
              country: '',
              files: [],
            };
            go({ name: 'report' });
          }}
        >
          {state.draft ? tr.t('home.continueDraft') : tr.t('home.newReport')}
        </button>
        <button type="button" class="big" data-testid="safety" onClick={() => go({ name: 'safety' })}>
          {tr.t('home.safety')}
        </button>
      </div>
      <h2>{tr.t('home.reports')}</h2>
      {error && <Notice kind="error">{error}</Notice>}
      {reports && reports.length === 0 && <p class="small">{tr.t('home.noReports')}</p>}
      <ul class="list" data-testid="reports">
        {reports?.map((r) => (
          <li key={r.id}>
            <button
              type="button"
              class="row"
              data-testid="report-row"
              onClick={() => go({ name: 'thread', reportId: r.id })}
            >
              <span class="ref" dir="ltr">
                {r.id.slice(0, 8)}
              </span>
              <span class="time">{tr.time(r.receivedAt)}</span>
              <span class="status" data-testid="report-status" data-status={r.status}>
                {tr.t(STATUS_KEYS[r.status])}
              </span>
              {fromStaff(r.id) > 0 && (
                <span class="badge" data-testid="reply-count">
                  {tr.n('home.replies', fromStaff(r.id))}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
      {loose > 0 && (
        <button type="button" class="row" onClick={() => go({ name: 'thread', reportId: '' })}>
          {tr.n('home.otherMessages', loose)}
        </button>
      )}
      <div class="actions">
        <button
          type="button"
          data-testid="sign-out"
          onClick={() => {
            void signOut().then(() => go({ name: 'welcome' }));
          }}
        >
          {tr.t('home.signOut')}
        </button>
      </div>
    </Page>
  );
}
