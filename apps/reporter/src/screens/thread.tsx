import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type MessageItem } from '../api';
import { ErrorNotice, explain, HomeAction, Notice, Page, useApp } from '../app';
import { crypto } from '../crypto/client';
import type { OpenedMessage } from '../crypto/protocol';
import { state, uuid } from '../session';
import { STATUS_KEYS } from './home';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One report's status and conversation. A caseworker's message is shown as from the organisation
 * only when its signature verifies against the signed directory's staff list; anything else is
 * marked unverified.
 */
export function ThreadScreen({ reportId }: { reportId: string }) {
  const { tr } = useApp();
  const [items, setItems] = useState<(MessageItem & { opened: OpenedMessage | undefined })[] | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [reply, setReply] = useState('');
  const [pendingId, setPendingId] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [offline, setOffline] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);

  const load = async (): Promise<void> => {
    const [{ items: all }, reports] = await Promise.all([api.messages(), api.reports()]);
    const mine = all.filter((m) => m.reportId === null || m.reportId === reportId).reverse();
    const opened = await crypto.openMessages(
      mine.map((m) => ({ id: m.id, envelope: m.envelope, from: m.from })),
    );
    setItems(mine.map((m) => ({ ...m, opened: opened.find((o) => o.id === m.id) })));
    const report = reports.items.find((r) => r.id === reportId);
    setStatus(report ? tr.t(STATUS_KEYS[report.status]) : null);
  };
  useEffect(() => {
    load().catch((e: unknown) => setError(explain(tr, e)));
  }, []);

  const send = async (): Promise<void> => {
    setError(null);
    setSent(false);
    if (!state.directory) return setError(tr.t('directory.refused'));
    setSending(true);
    const id = pendingId ?? uuid();
    setPendingId(id); // a resend after a lost answer reuses the id
    try {
      const envelope = await crypto.seal(
        'message',
        id,
        JSON.stringify({ schema: 'panah/message/v1', text: reply }),
      );
      for (let attempt = 0; ; attempt++) {
        try {
          await api.putMessage(reportId, id, envelope);
          break;
        } catch (e) {
          if (!(e instanceof ApiError && (e.offline || e.status >= 500))) throw e;
          setOffline(true);
          await sleep(Math.min(10_000, 1000 * 2 ** Math.min(attempt, 4)));
        }
      }
      setOffline(false);
      state.sentTexts.set(id, reply);
      setReply('');
      setPendingId(null);
      setSent(true);
      await load();
    } catch (e) {
      setError(explain(tr, e));
    } finally {
      setSending(false);
    }
  };

  return (
    <Page title={tr.t('thread.title')} testId="thread">
      {reportId !== '' && (
        <p>
          {tr.t('thread.report')} <strong dir="ltr">{reportId.slice(0, 8)}</strong>
        </p>
      )}
      {status && (
        <p class="status-line" data-testid="thread-status">
          {status}
        </p>
      )}
      <ErrorNotice error={error} />
      {items && items.length === 0 && <p class="small">{tr.t('thread.none')}</p>}
      <ol class="messages" data-testid="messages">
        {items?.map((m) => {
          const author = m.from === 'reporter' ? 'me' : (m.opened?.author ?? 'unverified');
          return (
            <li key={m.id} class={`msg ${author}`} data-testid="message" data-author={author}>
              <p class="who">
                {author === 'organisation'
                  ? tr.t('thread.fromOrg')
                  : author === 'me'
                    ? tr.t('thread.fromMe')
                    : tr.t('thread.unverified')}
                {author === 'organisation' && m.opened?.label ? ` · ${m.opened.label}` : ''}
              </p>
              {author === 'unverified' && <p class="small warn">{tr.t('thread.unverifiedExplain')}</p>}
              <p class="text" dir="auto" data-testid="message-text">
                {m.opened?.text ??
                  state.sentTexts.get(m.id) ??
                  (m.from === 'reporter' ? tr.t('thread.sealedToStaff') : tr.t('thread.cannotOpen'))}
              </p>
              <p class="small">{tr.time(m.createdAt)}</p>
            </li>
          );
        })}
      </ol>
      {reportId !== '' && (
        <div class="box">
          <label class="field">
            <span>{tr.t('thread.reply')}</span>
            <textarea
              rows={3}
              dir="auto"
              data-testid="reply"
              value={reply}
              disabled={sending}
              onInput={(e) => setReply((e.target as HTMLTextAreaElement).value)}
            />
          </label>
          {offline && <Notice kind="warn">{tr.t('send.offline')}</Notice>}
          {sent && (
            <Notice kind="ok" testId="reply-sent">
              {tr.t('thread.sent')}
            </Notice>
          )}
          <div class="actions">
            <button
              type="button"
              class="primary"
              data-testid="send-reply"
              disabled={sending || reply.trim() === ''}
              onClick={() => void send()}
            >
              {tr.t('thread.send')}
            </button>
          </div>
        </div>
      )}
      <HomeAction />
    </Page>
  );
}
