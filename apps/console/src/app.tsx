import type { Role } from './api/types';
import { LANGS, language, setLanguage, useT, type Lang } from './i18n';
import { navigate, route, type Route } from './router';
import { AckLink } from './screens/alert/AckLink';
import { AuditAdmin } from './screens/admin/AuditAdmin';
import { KeysAdmin } from './screens/admin/KeysAdmin';
import { PolicyEditor } from './screens/admin/PolicyEditor';
import { RulesEditor } from './screens/admin/RulesEditor';
import { StaffAdmin } from './screens/admin/StaffAdmin';
import { TeamsAdmin } from './screens/admin/TeamsAdmin';
import { CasePage } from './screens/case/CasePage';
import { CaseList } from './screens/cases/CaseList';
import { Register } from './screens/register/Register';
import { SignIn } from './screens/signin/SignIn';
import { session, signOut } from './session';
import { useStore } from './store';

const NAV: Record<Role, Route['name'][]> = {
  caseworker: ['cases', 'queue'],
  supervisor: ['cases', 'queue'],
  admin: ['admin-staff', 'admin-teams', 'admin-rules', 'admin-policies', 'admin-keys', 'admin-audit'],
};
const NAV_KEY: Partial<Record<Route['name'], string>> = {
  cases: 'nav.mine',
  queue: 'nav.queue',
  'admin-staff': 'nav.staff',
  'admin-teams': 'nav.teams',
  'admin-rules': 'nav.rules',
  'admin-policies': 'nav.policies',
  'admin-keys': 'nav.keys',
  'admin-audit': 'nav.audit',
};

function Screen({ r, role }: { readonly r: Route; readonly role: Role }) {
  switch (r.name) {
    case 'ack':
      return <AckLink token={r.token} />;
    case 'case':
      return <CasePage id={r.id} />;
    case 'cases':
      return <CaseList scope="mine" />;
    case 'queue':
      return <CaseList scope="queue" />;
    case 'register':
      return <Register token={r.token} />;
    case 'admin-staff':
      return <StaffAdmin />;
    case 'admin-teams':
      return <TeamsAdmin />;
    case 'admin-rules':
      return <RulesEditor />;
    case 'admin-policies':
      return <PolicyEditor />;
    case 'admin-keys':
      return <KeysAdmin />;
    case 'admin-audit':
      return <AuditAdmin />;
    case 'home':
      return role === 'admin' ? (
        <StaffAdmin />
      ) : (
        <CaseList scope={role === 'supervisor' ? 'queue' : 'mine'} />
      );
  }
}

function LanguageSwitch() {
  const t = useT();
  const lang = useStore(language);
  return (
    <div class="lang" role="group" aria-label={t('lang.choose')}>
      {LANGS.map((l: Lang) => (
        <button type="button" key={l} lang={l} aria-pressed={lang === l} onClick={() => setLanguage(l)}>
          {t(`lang.${l}`)}
        </button>
      ))}
    </div>
  );
}

export function App() {
  const t = useT();
  const s = useStore(session);
  const r = useStore(route);
  const role = s?.me.role;
  return (
    <>
      <a class="skip" href="#main">
        {t('common.skip')}
      </a>
      <header class="top">
        <a
          class="brand"
          href="/console/"
          onClick={(e) => {
            e.preventDefault();
            navigate({ name: 'home' });
          }}
        >
          {t('app.name')}
        </a>
        {role && (
          <nav aria-label={t('nav.label')}>
            <ul>
              {NAV[role].map((name) => (
                <li key={name}>
                  <a
                    href={`/console/#/${name}`}
                    aria-current={r.name === name ? 'page' : undefined}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate({ name } as Route);
                    }}
                  >
                    {t(NAV_KEY[name] ?? name)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <LanguageSwitch />
        {s && (
          <span class="who">
            {s.me.login} ({t(`role.${s.me.role}`)}){' '}
            <button type="button" onClick={() => signOut()}>
              {t('signin.signOut')}
            </button>
          </span>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {r.name === 'register' ? (
          <Register token={r.token} />
        ) : s && role ? (
          <Screen r={r} role={role} />
        ) : (
          <SignIn />
        )}
      </main>
    </>
  );
}
