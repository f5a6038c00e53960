import { useT } from '../i18n';

export function KdfProgress({ fraction }: { readonly fraction: number | null }) {
  const t = useT();
  if (fraction === null) return null;
  const pct = Math.round(fraction * 100);
  return (
    <div class="kdf" role="status" aria-live="polite">
      <label>
        {t('kdf.working')}
        <progress max={100} value={pct} aria-valuetext={`${pct}%`} />
      </label>
      <p class="hint">{t('kdf.why')}</p>
    </div>
  );
}
