import { useState } from 'preact/hooks';
import { call } from '../../api/http';
import type { RunView } from '../../api/types';
import { Countdown, SeverityBadge } from '../../components/Countdown';
import { Problem } from '../../components/Problem';
import { useT } from '../../i18n';

const SNOOZES = [15 * 60, 30 * 60, 60 * 60];

interface Props {
  readonly run: RunView | null;
  readonly deadline: string | null | undefined;
  readonly shortRef: string | undefined;
  readonly severity: string | undefined;
  /** When opened from an /ack link: acknowledge through the link's token (it names this recipient). */
  readonly ackToken?: string;
  readonly onChange: (run: RunView) => void;
}

/**
 * The one obvious Acknowledge button, snooze and resolve beside it. Nothing here runs on load:
 * only a tap acknowledges (a GET, or a link scanner, never does).
 */
export function AlertActions({ run, deadline, shortRef, severity, ackToken, onChange }: Props) {
  const t = useT();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [snooze, setSnooze] = useState(SNOOZES[0]!);

  const act = async (what: 'acknowledge' | 'snooze' | 'resolve') => {
    if (!run) return;
    setBusy(what);
    setError(null);
    try {
      const next =
        what === 'acknowledge' && ackToken
          ? await call<RunView>('POST', '/v1/escalation-links/acknowledge', { body: { token: ackToken } })
          : await call<RunView>('POST', `/v1/escalations/{id}/${what}`, {
              path: { id: run.id },
              ...(what === 'snooze' ? { body: { seconds: snooze } } : {}),
            });
      onChange(next);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const state = run?.state;
  // An exhausted run (the policy ran out, nobody acknowledged) is the most urgent of all: a late
  // caseworker still acknowledges it (exhausted → acknowledged); it cannot be snoozed.
  const open = state === 'active' || state === 'snoozed' || state === 'exhausted';
  const snoozable = state === 'active' || state === 'snoozed';
  return (
    <section class="alert-panel" aria-labelledby="alert-title">
      <h1 id="alert-title">
        {t('alert.case')} <span class="ref">{shortRef ?? '…'}</span> <SeverityBadge severity={severity} />
      </h1>
      <p class="deadline-line">
        {t('alert.deadline')} <Countdown deadline={deadline} />
      </p>
      {run ? (
        <p class="state" data-testid="run-state">
          {t('alert.state')} <strong>{t(`run.${run.state}`)}</strong>
          {run.overdue && <span class="overdue-tag">{t('alert.overdue')}</span>}
        </p>
      ) : (
        <p class="state">{t('alert.noRun')}</p>
      )}
      <Problem error={error} />
      {run && (
        <div class="actions">
          {open && (
            <button
              type="button"
              class="primary ack"
              onClick={() => act('acknowledge')}
              disabled={busy !== null}
              data-testid="acknowledge"
            >
              {busy === 'acknowledge' ? t('alert.acking') : t('alert.acknowledge')}
            </button>
          )}
          {state === 'acknowledged' && (
            <p class="done" role="status">
              {t('alert.acknowledged')}
            </p>
          )}
          {state !== 'resolved' && (
            <div class="secondary-actions">
              {snoozable && (
                <>
                  <label class="inline">
                    <span class="visually-hidden">{t('alert.snoozeFor')}</span>
                    <select
                      value={snooze}
                      onChange={(e) => setSnooze(Number((e.currentTarget as HTMLSelectElement).value))}
                      aria-label={t('alert.snoozeFor')}
                    >
                      {SNOOZES.map((s) => (
                        <option key={s} value={s}>
                          {t('duration.minutes', { count: s / 60 })}
                        </option>
                      ))}
                    </select>
                  </label>
                  <button type="button" onClick={() => act('snooze')} disabled={busy !== null}>
                    {t('alert.snooze')}
                  </button>
                </>
              )}
              <button
                type="button"
                class="danger"
                onClick={() => (confirm(t('alert.resolveConfirm')) ? act('resolve') : undefined)}
                disabled={busy !== null}
              >
                {t('alert.resolve')}
              </button>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
