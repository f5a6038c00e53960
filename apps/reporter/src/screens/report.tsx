import { useState } from 'preact/hooks';
import { api, ApiError, type Hints } from '../api';
import { ErrorNotice, explain, Notice, Page, useApp, type MessageKey } from '../app';
import { ProgressBar } from '../components/Progress';
import { crypto } from '../crypto/client';
import type { AttachmentRef } from '../crypto/protocol';
import { state, uuid, type Draft } from '../session';

const CATEGORIES = [
  'kill_list',
  'direct_threat',
  'surveillance',
  'family_threatened',
  'abduction_attempt',
  'deportation_risk',
  'online_harassment',
  'other',
] as const;
const IMMINENCE = ['now', 'days', 'weeks', 'unknown'] as const;

/** What a retried send re-uses: the same ids, the same envelope, the same encrypted bytes. */
interface Sealed {
  envelope: Awaited<ReturnType<typeof crypto.seal>>;
  hints: Hints | null;
  blobs: { id: string; name: string; blob: ArrayBuffer; done: boolean }[];
  reportDone: boolean;
}
const sealedDrafts = new WeakMap<Draft, Sealed>();

function retryable(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    (error.offline ||
      error.status >= 500 ||
      error.status === 408 ||
      // An earlier attempt of ours (its connection lost) may still hold the one upload slot.
      error.reason === 'quota/uploads_in_flight')
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function Text({
  k,
  value,
  onInput,
  area,
  testId,
}: {
  k: MessageKey;
  value: string;
  onInput: (v: string) => void;
  area?: boolean;
  testId: string;
}) {
  const { tr } = useApp();
  return (
    <label class="field">
      <span>{tr.t(k)}</span>
      {area ? (
        <textarea
          rows={4}
          dir="auto"
          data-testid={testId}
          value={value}
          onInput={(e) => onInput((e.target as HTMLTextAreaElement).value)}
        />
      ) : (
        <input
          type="text"
          dir="auto"
          data-testid={testId}
          value={value}
          onInput={(e) => onInput((e.target as HTMLInputElement).value)}
        />
      )}
    </label>
  );
}

/** The guided report: everything encrypted into the envelope, except the triage hints the reporter chooses to share. */
export function ReportScreen() {
  const { tr, go } = useApp();
  const draft = state.draft as Draft;
  const [, setTick] = useState(0);
  const [shareLanguage, setShareLanguage] = useState(false);
  const [progress, setProgress] = useState<{ value: number; label: string } | null>(null);
  const [offline, setOffline] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const sending = progress !== null;

  const set = (patch: Partial<Draft>): void => {
    Object.assign(draft, patch);
    sealedDrafts.delete(draft); // an edit makes a new envelope (same report id)
    setTick((n) => n + 1);
  };

  /** Retries `fn` while the network is down or the server fails, the draft kept in memory. */
  const persist = async <T,>(fn: () => Promise<T>): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      try {
        const value = await fn();
        setOffline(false);
        return value;
      } catch (e) {
        if (!retryable(e)) throw e;
        setOffline(true);
        await sleep(Math.min(10_000, 1000 * 2 ** Math.min(attempt, 4)));
      }
    }
  };

  const hints = (): Hints | null => {
    const h: Hints = {};
    if (draft.category) h.category = draft.category;
    if (draft.imminence) h.imminence = draft.imminence;
    if (draft.namedOnList) h.namedOnList = draft.namedOnList === 'yes';
    if (/^[A-Za-z]{2}$/.test(draft.country)) h.country = draft.country.toUpperCase();
    if (shareLanguage) h.language = tr.lang;
    return Object.keys(h).length > 0 ? h : null;
  };

  const seal = async (): Promise<Sealed> => {
    const known = sealedDrafts.get(draft);
    if (known) return known;
    const refs: AttachmentRef[] = [];
    const blobs: Sealed['blobs'] = [];
    for (const [i, f] of draft.files.entries()) {
      const label = tr.t('send.encrypting', { name: f.file.name });
      const { ref, blob } = await crypto.encryptAttachment(
        f.id,
        {
          name: f.file.name,
          mime: f.file.type || 'application/octet-stream',
          bytes: await f.file.arrayBuffer(),
        },
        (p) => setProgress({ value: (0.3 * (i + p)) / Math.max(1, draft.files.length), label }),
      );
      refs.push(ref);
      blobs.push({ id: f.id, name: f.file.name, blob, done: false });
    }
    const narrative = [
      ['What happened', draft.what],
      ['Who (names, groups)', draft.who],
      ['Where', draft.where],
      ['When', draft.when],
      ['What I need', draft.needs],
    ]
      .filter(([, v]) => v.trim() !== '')
      .map(([k, v]) => `${k}:\n${v.trim()}`)
      .join('\n\n');
    const plaintext = JSON.stringify({
      schema: 'panah/report/v1',
      language: tr.lang,
      narrative,
      what: draft.what,
      who: draft.who,
      where: draft.where,
      when: draft.when,
      needs: draft.needs,
      attachments: refs,
    });
    const sealed: Sealed = {
      envelope: await crypto.seal('report', draft.reportId, plaintext),
      hints: hints(),
      blobs,
      reportDone: false,
    };
    sealedDrafts.set(draft, sealed);
    return sealed;
  };

  const send = async (): Promise<void> => {
    setError(null);
    if (!state.directory) {
      setError(tr.t('directory.refused'));
      return;
    }
    try {
      setProgress({ value: 0, label: tr.t('send.sealing') });
      const sealed = await seal();
      if (!sealed.reportDone) {
        setProgress({ value: 0.35, label: tr.t('send.report') });
        await persist(() => api.putReport(draft.reportId, sealed.envelope, sealed.hints));
        sealed.reportDone = true;
      }
      for (const [i, b] of sealed.blobs.entries()) {
        if (b.done) continue;
        const label = tr.t('send.attachment', { name: b.name });
        await persist(() =>
          api.putAttachment(draft.reportId, b.id, b.blob, (p) =>
            setProgress({ value: 0.4 + (0.6 * (i + p)) / sealed.blobs.length, label }),
          ),
        );
        b.done = true;
      }
      const id = draft.reportId;
      state.draft = null;
      go({ name: 'sent', reportId: id });
    } catch (e) {
      setProgress(null);
      setOffline(false);
      setError(explain(tr, e));
    }
  };

  const shared = <span class="shared-tag">{tr.t('report.sharedTag')}</span>;

  return (
    <Page title={tr.t('report.title')} testId="report">
      <p class="small">{tr.t('report.intro')}</p>
      <fieldset class="box encrypted" disabled={sending}>
        <legend>{tr.t('report.encryptedPart')}</legend>
        <Text k="report.what" area value={draft.what} onInput={(v) => set({ what: v })} testId="what" />
        <Text k="report.who" value={draft.who} onInput={(v) => set({ who: v })} testId="who" />
        <Text k="report.where" value={draft.where} onInput={(v) => set({ where: v })} testId="where" />
        <Text k="report.when" value={draft.when} onInput={(v) => set({ when: v })} testId="when" />
        <Text k="report.needs" area value={draft.needs} onInput={(v) => set({ needs: v })} testId="needs" />
        <label class="field">
          <span>{tr.t('report.attach')}</span>
          <input
            type="file"
            multiple
            accept="image/*,audio/*,video/*,application/pdf,text/plain"
            data-testid="attach"
            onChange={(e) => {
              const input = e.target as HTMLInputElement;
              set({
                files: [
                  ...draft.files,
                  ...Array.from(input.files ?? []).map((file) => ({ id: uuid(), file })),
                ],
              });
              input.value = '';
            }}
          />
        </label>
        {draft.files.length > 0 && (
          <ul class="files" data-testid="files">
            {draft.files.map((f) => (
              <li key={f.id}>
                <span dir="auto">{f.file.name}</span>{' '}
                <span class="small">{tr.n('report.kb', Math.max(1, Math.round(f.file.size / 1024)))}</span>{' '}
                <button
                  type="button"
                  class="link"
                  onClick={() => set({ files: draft.files.filter((x) => x.id !== f.id) })}
                >
                  {tr.t('report.remove')}
                </button>
              </li>
            ))}
          </ul>
        )}
      </fieldset>

      <fieldset class="box shared" disabled={sending} data-testid="hints">
        <legend>{tr.t('report.sharedPart')}</legend>
        <p class="small">{tr.t('report.sharedExplain')}</p>
        <label class="field">
          <span>
            {tr.t('report.category')} {shared}
          </span>
          <select
            data-testid="hint-category"
            value={draft.category}
            onChange={(e) => set({ category: (e.target as HTMLSelectElement).value })}
          >
            <option value="">{tr.t('report.notShared')}</option>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {tr.t(`category.${c}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>
            {tr.t('report.imminence')} {shared}
          </span>
          <select
            data-testid="hint-imminence"
            value={draft.imminence}
            onChange={(e) => set({ imminence: (e.target as HTMLSelectElement).value })}
          >
            <option value="">{tr.t('report.notShared')}</option>
            {IMMINENCE.map((c) => (
              <option key={c} value={c}>
                {tr.t(`imminence.${c}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>
            {tr.t('report.namedOnList')} {shared}
          </span>
          <select
            data-testid="hint-list"
            value={draft.namedOnList}
            onChange={(e) =>
              set({ namedOnList: (e.target as HTMLSelectElement).value as Draft['namedOnList'] })
            }
          >
            <option value="">{tr.t('report.notShared')}</option>
            <option value="yes">{tr.t('common.yes')}</option>
            <option value="no">{tr.t('common.no')}</option>
          </select>
        </label>
        <label class="field">
          <span>
            {tr.t('report.country')} {shared}
          </span>
          <input
            type="text"
            maxLength={2}
            dir="ltr"
            data-testid="hint-country"
            value={draft.country}
            onInput={(e) => set({ country: (e.target as HTMLInputElement).value })}
          />
        </label>
        <label class="check">
          <input
            type="checkbox"
            checked={shareLanguage}
            onChange={(e) => setShareLanguage((e.target as HTMLInputElement).checked)}
          />
          <span>
            {tr.t('report.shareLanguage')} {shared}
          </span>
        </label>
      </fieldset>

      {progress && <ProgressBar value={progress.value} label={progress.label} />}
      {offline && (
        <Notice kind="warn" testId="offline">
          {tr.t('send.offline')}
        </Notice>
      )}
      <ErrorNotice error={error} />
      <div class="actions">
        <button
          type="button"
          class="primary big"
          data-testid="send"
          disabled={sending || draft.what.trim() === ''}
          onClick={() => void send()}
        >
          {tr.t('report.send')}
        </button>
        <button type="button" disabled={sending} onClick={() => go({ name: 'home' })}>
          {tr.t('report.later')}
        </button>
      </div>
    </Page>
  );
}
