import { useEffect, useState } from 'preact/hooks';
import { formatDateTime, useT } from '../i18n';

/** A response deadline counting down, marked overdue once passed. */
export function Countdown({ deadline }: { readonly deadline: string | null | undefined }) {
  const t = useT();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  // undefined: not loaded yet (the alert page shows Acknowledge before the case arrives); null: none.
  if (deadline === undefined) return <span class="deadline" aria-busy="true" />;
  if (!deadline) return <span class="deadline">{t('deadline.none')}</span>;
  const left = new Date(deadline).getTime() - now;
  const abs = Math.abs(left);
  const h = Math.floor(abs / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  const s = Math.floor((abs % 60_000) / 1000);
  const span = h > 0 ? t('duration.hm', { h, m }) : t('duration.ms', { m, s });
  return (
    <time
      class={`deadline${left < 0 ? ' overdue' : ''}`}
      dateTime={deadline}
      title={formatDateTime(deadline)}
    >
      {left < 0 ? t('deadline.overdue', { span }) : t('deadline.left', { span })}
    </time>
  );
}

export function SeverityBadge({ severity }: { readonly severity: string | undefined }) {
  const t = useT();
  if (!severity) return null;
  return <span class={`sev sev-${severity}`}>{t(`severity.${severity}`)}</span>;
}
