import { call } from '../../api/http';
import { Problem } from '../../components/Problem';
import { formatDateTime, useT } from '../../i18n';
import { useLoad } from './useLoad';

interface DirectoryPayload {
  serial: number;
  issuedAt: string;
  expiresAt: string;
  root: string;
  intake: { kid: string; role: string; label: string }[];
  staff?: { kid: string; label: string }[];
}

/** The signed key directory as served: serial, expiry, intake and staff keys, how to sign the next. */
export function KeysAdmin() {
  const t = useT();
  const dir = useLoad(async () => {
    const doc = await call<{ payload: string }>('GET', '/v1/keys/directory');
    const b64 = doc.payload.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as DirectoryPayload;
  });
  return (
    <div class="stack">
      <h1>{t('nav.keys')}</h1>
      <Problem error={dir.error} />
      {dir.data && (
        <section class="card" data-testid="directory">
          <p>
            {t('keys.serial')} <strong>{dir.data.serial}</strong> · {t('keys.expires')}{' '}
            {formatDateTime(dir.data.expiresAt)} · {t('keys.root')} <code>{dir.data.root}</code>
          </p>
          <h2>{t('keys.intake')}</h2>
          <ul class="rows">
            {dir.data.intake.map((k) => (
              <li key={k.kid}>
                <span>
                  {k.label} ({k.role})
                </span>
                <code>{k.kid}</code>
              </li>
            ))}
          </ul>
          <h2>{t('keys.staff')}</h2>
          <ul class="rows">
            {(dir.data.staff ?? []).map((k) => (
              <li key={k.kid}>
                <span>{k.label}</span>
                <code>{k.kid}</code>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section class="card">
        <h2>{t('keys.next')}</h2>
        <p>{t('keys.howTo')}</p>
        <pre dir="ltr">
          npx panah keys directory sign --serial {(dir.data?.serial ?? 0) + 1} …{'\n'}PUT /v1/keys/directory
        </pre>
      </section>
    </div>
  );
}
