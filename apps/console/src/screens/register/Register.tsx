import {
  cryptoReady,
  enrolStaffKeys,
  generateStaffKdfSalt,
  staffRegistrationBody,
  type StaffRegistrationBody,
} from '@panah/crypto';
import { useState } from 'preact/hooks';
import { call } from '../../api/http';
import { Credentials, KdfSubmit } from '../../components/Credentials';
import { Field } from '../../components/Field';
import { Problem } from '../../components/Problem';
import { QrCode } from '../../components/QrCode';
import { asciiDigits, useT } from '../../i18n';
import { deriveInWorker } from '../../kdf/kdf';
import { navigate } from '../../router';

const LOGIN = /^[a-z0-9._-]{3,32}$/;
const MIN_PASSWORD = 12;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** 20 random bytes as base32 (what authenticator apps expect), drawn in the browser. */
function newTotpSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

interface Prepared {
  readonly body: StaffRegistrationBody;
  readonly totpSecret: string;
  readonly uri: string;
}

/**
 * Registration from an invitation or setup link, as `panah staff register` does it: keys made and
 * protected here, TOTP enrolled with a QR code, recovery codes shown once.
 */
export function Register({ token: linkToken }: { readonly token: string }) {
  const t = useT();
  const [token, setToken] = useState(linkToken);
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [prepared, setPrepared] = useState<Prepared | null>(null);
  const [done, setDone] = useState<{ status: string; role: string; recoveryCodes: string[] } | null>(null);
  const [busy, setBusy] = useState(false);

  const prepare = async (e: Event) => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!/^p[ia]_[A-Za-z0-9_-]{43}$/.test(token.trim())) problems.token = t('register.badToken');
    if (!LOGIN.test(login.trim().toLowerCase())) problems.login = t('register.badLogin');
    if (password.length < MIN_PASSWORD)
      problems.password = t('register.shortPassword', { count: MIN_PASSWORD });
    if (confirm !== password) problems.confirm = t('register.mismatch');
    setErrors(problems);
    if (Object.keys(problems).length) return;
    setBusy(true);
    setError(null);
    try {
      await cryptoReady();
      const staffId = crypto.randomUUID();
      const kdfSalt = generateStaffKdfSalt();
      const { authKey, encKey } = await deriveInWorker(password, kdfSalt, setProgress);
      const keys = enrolStaffKeys(staffId, encKey);
      const totpSecret = newTotpSecret();
      const name = login.trim().toLowerCase();
      setPrepared({
        totpSecret,
        uri: `otpauth://totp/Panah:${encodeURIComponent(name)}?secret=${totpSecret}&issuer=Panah&algorithm=SHA1&digits=6&period=30`,
        body: staffRegistrationBody({
          invitationToken: token.trim(),
          staffId,
          login: name,
          kdfSalt,
          authKey,
          keys,
          totpSecret,
        }),
      });
      authKey.fill(0);
      setPassword('');
      setConfirm('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
      setProgress(null);
    }
  };

  const register = async (e: Event) => {
    e.preventDefault();
    if (!prepared) return;
    setBusy(true);
    setError(null);
    try {
      const result = await call<{ status: string; role: string; recoveryCodes: string[] }>(
        'POST',
        '/v1/staff/register',
        {
          body: { ...prepared.body, totpCode: asciiDigits(code).replace(/\s+/g, '') },
          token: null,
        },
      );
      setDone(result);
      setPrepared(null);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <section class="card" aria-labelledby="reg-done">
        <h1 id="reg-done">{t('register.doneTitle')}</h1>
        <p>{done.status === 'pending_vetting' ? t('register.pending') : t('register.active')}</p>
        <h2>{t('register.recoveryTitle')}</h2>
        <p class="notice">{t('register.recoveryOnce')}</p>
        <ol class="codes" data-testid="recovery-codes" dir="ltr">
          {done.recoveryCodes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ol>
        <button type="button" class="primary" onClick={() => navigate({ name: 'home' })}>
          {t('register.toSignIn')}
        </button>
      </section>
    );
  }

  if (prepared) {
    return (
      <form class="card" onSubmit={register} aria-labelledby="reg-totp">
        <h1 id="reg-totp">{t('register.totpTitle')}</h1>
        <p>{t('register.totpScan')}</p>
        <QrCode text={prepared.uri} label={t('register.qrLabel')} />
        <p>
          {t('register.totpType')}{' '}
          <code class="secret" data-testid="totp-secret" dir="ltr">
            {prepared.totpSecret}
          </code>
        </p>
        <Field
          label={t('signin.totp')}
          value={code}
          onValue={setCode}
          name="totp"
          inputMode="numeric"
          autoComplete="one-time-code"
          required
        />
        <Problem error={error} />
        <button type="submit" class="primary" disabled={busy}>
          {t('register.submit')}
        </button>
      </form>
    );
  }

  return (
    <form class="card" onSubmit={prepare} aria-labelledby="reg-title" noValidate>
      <h1 id="reg-title">{t('register.title')}</h1>
      <p>{t('register.intro')}</p>
      <Field
        label={t('register.token')}
        value={token}
        onValue={setToken}
        name="token"
        error={errors.token}
        autoComplete="off"
        spellcheck={false}
      />
      <Credentials
        login={login}
        onLogin={setLogin}
        password={password}
        onPassword={setPassword}
        newPassword
        confirm={{ value: confirm, onValue: setConfirm }}
        errors={errors}
        loginHint={t('register.loginHint')}
      />
      <KdfSubmit progress={progress} error={error} busy={busy}>
        {t('register.next')}
      </KdfSubmit>
    </form>
  );
}
