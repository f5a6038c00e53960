import { fromB64u } from '@panah/crypto';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { CaseDetail, RunView, StaffKey, TimelineEntry } from '../../api/types';
import { Problem } from '../../components/Problem';
import { formatDateTime, language, useT, type T } from '../../i18n';
import { session } from '../../session';
import { useStore } from '../../store';
import { AlertActions } from '../alert/AlertActions';
import { Attachment } from './Attachment';
import { authorKidOf, openForMe, type OpenContext, type Opened } from './casecrypto';
import { Composer } from './Composer';
import { Handover } from './Handover';
import { loadCase, loadRun, loadStaffKeys, staffKeyByKid } from './load';

interface Item {
  readonly key: string;
  readonly at: string;
  readonly entry: TimelineEntry;
  readonly opened: Opened | null;
  readonly author: string | null;
}

function describe(t: T, e: TimelineEntry, nameOf: (id: string | null) => string): string {
  // A code the catalog does not know yet is shown as sent, never as a bare message key.
  const word = (prefix: string, code: string) => {
    const text = t(`${prefix}.${code}`);
    return text === `${prefix}.${code}` ? code : text;
  };
  switch (e.type) {
    case 'report':
      return t('case.report');
    case 'message':
      return e.from === 'reporter'
        ? t('case.fromReporter')
        : t('case.toReporter', { who: nameOf(e.authorStaffId) });
    case 'note':
      return t('case.noteBy', { who: nameOf(e.authorStaffId) });
    case 'checkin':
      return word('checkin', e.kind);
    case 'escalation':
      return t('case.escalation', { kind: word('esc', e.kind), who: nameOf(e.actorId) });
    case 'notification':
      // 'none': the recipient had no contact method, so nothing was sent (the row records the failure).
      if (e.channel === 'none') return t('case.notificationNoContact', { who: nameOf(e.recipientId) });
      return t('case.notification', {
        who: nameOf(e.recipientId),
        channel: word('channel', e.channel),
        status: word('delivery', e.status),
      });
    case 'assignment':
      return t('case.assigned', { who: nameOf(e.assigneeId), by: nameOf(e.byStaffId) });
    case 'handover':
      return t('case.handedOver', { who: nameOf(e.assigneeId), by: nameOf(e.byStaffId) });
    case 'attachment':
      return t('case.attachment');
  }
}

/** The case page: the alert actions, the whole timeline decrypted here, reply, note, assign, hand over. */
export function CasePage({ id }: { readonly id: string }) {
  const t = useT();
  const s = useStore(session);
  // The timeline's author words follow the language; decrypting again only when it changes.
  const lang = useStore(language);
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [run, setRun] = useState<RunView | null>(null);
  const [staffKeys, setStaffKeys] = useState<StaffKey[]>([]);
  const [extraKeys, setExtraKeys] = useState<Record<string, StaffKey | null>>({});
  const [error, setError] = useState<unknown>(null);
  const [n, setN] = useState(0);

  useEffect(() => {
    let live = true;
    setError(null);
    void (async () => {
      try {
        const [d, r, keys] = await Promise.all([
          loadCase(id),
          loadRun(id),
          loadStaffKeys().catch(() => [] as StaffKey[]),
        ]);
        if (!live) return;
        // Authors no longer in the active list (offboarded colleagues) are looked up one by one.
        const known = new Set(keys.map((k) => k.signKid));
        const missing = [
          ...new Set(
            d.timeline
              .filter((e) => e.type === 'note' || (e.type === 'message' && e.from === 'staff'))
              .map((e) => authorKidOf((e as { envelope: unknown }).envelope)),
          ),
        ].filter((k): k is string => !!k && !known.has(k));
        const extra: Record<string, StaffKey | null> = {};
        for (const k of missing) extra[k] = await staffKeyByKid(k);
        if (!live) return;
        setStaffKeys(keys);
        setExtraKeys(extra);
        setDetail(d);
        setRun(r);
      } catch (err) {
        if (live) setError(err);
      }
    })();
    return () => {
      live = false;
    };
  }, [id, n]);

  const bySignKid = useMemo(() => {
    const m = new Map<string, StaffKey>();
    for (const k of staffKeys) m.set(k.signKid, k);
    for (const [kid, k] of Object.entries(extraKeys)) if (k) m.set(kid, k);
    return m;
  }, [staffKeys, extraKeys]);
  const nameOf = (staffId: string | null) => {
    if (!staffId) return t('case.system');
    if (staffId === s?.me.staffId) return t('case.you');
    return staffKeys.find((k) => k.staffId === staffId)?.label ?? staffId.slice(0, 8);
  };

  const ctx: OpenContext | null = useMemo(
    () =>
      s && detail
        ? {
            keys: s.keys,
            grants: detail.grants,
            granterKey: (kid: string) => {
              const k = bySignKid.get(kid);
              return k ? fromB64u(k.signPk, 'signPk') : undefined;
            },
          }
        : null,
    [s, detail, bySignKid],
  );

  const items = useMemo<Item[]>(() => {
    if (!detail || !ctx) return [];
    const reporterKeys = new Map(detail.reporter.signKeys.map((k) => [k.kid, k.signPk]));
    return detail.timeline.map((e, i) => {
      let opened: Opened | null = null;
      let author: string | null = null;
      if (e.type === 'report' || (e.type === 'message' && e.from === 'reporter')) {
        opened = openForMe(e.envelope, ctx, reporterKeys.get(authorKidOf(e.envelope) ?? '') ?? null);
        author = t('case.reporter');
      } else if (e.type === 'message' || e.type === 'note') {
        const k = bySignKid.get(authorKidOf(e.envelope) ?? '');
        opened = openForMe(e.envelope, ctx, k?.signPk ?? null);
        author = k?.label ?? null;
      }
      return { key: `${i}-${e.type}`, at: e.at, entry: e, opened, author };
    });
  }, [detail, ctx, bySignKid, lang]);

  if (error) return <Problem error={error} />;
  if (!detail || !s) return <p role="status">{t('common.loading')}</p>;
  const envelopes = detail.timeline.flatMap((e) =>
    e.type === 'report' || e.type === 'message' || e.type === 'note' ? [e.envelope] : [],
  );
  return (
    <div class="stack">
      <AlertActions
        run={run}
        shortRef={run?.shortRef ?? detail.shortRef ?? detail.id.slice(0, 8)}
        severity={run?.severity ?? detail.severity}
        deadline={detail.deadlineAt}
        onChange={setRun}
      />
      <p class="hint">
        {t('case.meta', {
          state: t(`caseState.${detail.state}`),
          reasons: detail.reasons.map((r) => t(`reason.${r}`)).join(', '),
          assignee: detail.assigneeId ? nameOf(detail.assigneeId) : t('case.nobody'),
        })}
      </p>
      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t('case.timeline')}</h2>
        <ol class="timeline" data-testid="timeline">
          {items.map((item) => (
            <li key={item.key} class={`tl tl-${item.entry.type}`}>
              <header>
                <strong>{describe(t, item.entry, nameOf)}</strong>{' '}
                <time dateTime={item.at}>{formatDateTime(item.at)}</time>{' '}
                {item.opened && (
                  <span class={`verify verify-${item.opened.verification}`}>
                    {t(`verify.${item.opened.verification}`)}
                    {item.opened.verification === 'verified' && item.author ? ` — ${item.author}` : ''}
                  </span>
                )}
              </header>
              {item.opened?.ok ? (
                <div class="plaintext" dir="auto" data-testid="plaintext">
                  {item.opened.text}
                </div>
              ) : (
                item.opened && (
                  <p class="problem">
                    {t(
                      item.opened.verification === 'bad_signature' ? 'case.badSignature' : 'case.cannotOpen',
                    )}
                  </p>
                )
              )}
              {item.opened?.attachments.map((a) => (
                <Attachment key={a.id} caseId={id} ref_={a} />
              ))}
            </li>
          ))}
        </ol>
      </section>
      {detail.state !== 'resolved' && (
        <>
          <Composer caseId={id} kind="message" onSent={() => setN((x) => x + 1)} />
          <Composer caseId={id} kind="note" onSent={() => setN((x) => x + 1)} />
          <Handover
            detail={detail}
            envelopes={envelopes}
            ctx={ctx!}
            staffKeys={staffKeys}
            onDone={() => setN((x) => x + 1)}
          />
        </>
      )}
    </div>
  );
}
