import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, hasSession } from './api';
import { QuickExit } from './components/QuickExit';
import { CryptoError } from './crypto/client';
import { LANGUAGES, translator, type Lang, type MessageKey, type Translator } from './i18n';
import { state } from './session';
import { HomeScreen } from './screens/home';
import { LanguageScreen } from './screens/language';
import { NewCodeScreen } from './screens/new-code';
import { ReportScreen } from './screens/report';
import { SafetyScreen } from './screens/safety';
import { SentScreen } from './screens/sent';
import { SignInScreen } from './screens/sign-in';
import { ThreadScreen } from './screens/thread';
import { WelcomeScreen } from './screens/welcome';

export type Screen =
  | { name: 'language' }
  | { name: 'welcome' }
  | { name: 'newCode' }
  | { name: 'signIn' }
  | { name: 'home' }
  | { name: 'report' }
  | { name: 'sent'; reportId: string }
  | { name: 'thread'; reportId: string }
  | { name: 'safety' };

interface AppContext {
  readonly tr: Translator;
  go(screen: Screen): void;
  setLang(lang: Lang): void;
  /** Re-render after `state` changed. */
  refresh(): void;
}

const Ctx = createContext<AppContext | null>(null);

export function useApp(): AppContext {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error('outside App');
  return ctx;
}

/** A refusal or failure in the reporter's words, never a raw status or reason code. */
export function explain(tr: Translator, error: unknown): string {
  if (error instanceof ApiError) {
    if (error.offline) return tr.t('err.network');
    if (error.status === 429 || error.reason.startsWith('rate/')) return tr.t('err.rate');
    if (error.status === 401) return tr.t('err.session');
    if (error.reason.startsWith('attachment/') || error.status === 413) return tr.t('err.attachment');
    if (error.status >= 500) return tr.t('err.server');
    return tr.t('err.refused');
  }
  if (error instanceof CryptoError) {
    if (error.field === 'accessCode') return tr.t('err.code');
    if (error.field?.startsWith('directory/')) return tr.t('err.directory');
  }
  return tr.t('err.unknown');
}

export function Page({
  title,
  children,
  testId,
}: {
  title: string;
  children: ComponentChildren;
  testId: string;
}) {
  const { tr } = useApp();
  useEffect(() => {
    document.title = `${title} · Panah`;
  }, [title]);
  return (
    <div class="page" data-screen={testId}>
      <header class="bar">
        <span class="brand">{tr.t('app.name')}</span>
        <QuickExit />
      </header>
      <main>
        <h1>{title}</h1>
        {children}
      </main>
      <footer class="fingerprint" data-testid="fingerprint">
        {state.directory
          ? tr.t('directory.fingerprint', { fp: state.directory.fingerprint })
          : state.directoryError
            ? tr.t('directory.unverified')
            : ''}
      </footer>
    </div>
  );
}

export function Notice({
  kind,
  children,
  testId,
}: {
  kind: 'info' | 'error' | 'ok' | 'warn';
  children: ComponentChildren;
  testId?: string;
}) {
  return (
    <p class={`notice ${kind}`} role={kind === 'error' ? 'alert' : 'status'} data-testid={testId}>
      {children}
    </p>
  );
}

/** What went wrong on a screen, announced (testId "error"); nothing while all is well. */
export function ErrorNotice({ error }: { error: string | null }) {
  return error ? (
    <Notice kind="error" testId="error">
      {error}
    </Notice>
  ) : null;
}

/** The foot of a screen: back to the start page (the primary action where the screen has no other). */
export function HomeAction({ primary = false }: { primary?: boolean }) {
  const { tr, go } = useApp();
  return (
    <div class="actions">
      <button
        type="button"
        class={primary ? 'primary big' : undefined}
        data-testid="home"
        onClick={() => go({ name: 'home' })}
      >
        {tr.t('common.home')}
      </button>
    </div>
  );
}

export function App() {
  const [lang, setLangState] = useState<Lang | null>(null);
  const [screen, setScreen] = useState<Screen>({ name: 'language' });
  const [, setTick] = useState(0);
  const tr = useMemo(() => translator(lang ?? 'en'), [lang]);

  useEffect(() => {
    const info = LANGUAGES.find((l) => l.code === tr.lang);
    document.documentElement.lang = info?.htmlLang ?? 'en';
    document.documentElement.dir = tr.dir;
  }, [tr]);

  const ctx: AppContext = {
    tr,
    go: (s) => {
      if (!hasSession() && ['home', 'report', 'sent', 'thread', 'safety'].includes(s.name))
        s = { name: 'welcome' };
      setScreen(s);
      window.scrollTo(0, 0);
    },
    setLang: (l) => setLangState(l),
    refresh: () => setTick((n) => n + 1),
  };

  let body;
  switch (screen.name) {
    case 'language':
      body = <LanguageScreen />;
      break;
    case 'welcome':
      body = <WelcomeScreen />;
      break;
    case 'newCode':
      body = <NewCodeScreen />;
      break;
    case 'signIn':
      body = <SignInScreen />;
      break;
    case 'home':
      body = <HomeScreen />;
      break;
    case 'report':
      body = <ReportScreen />;
      break;
    case 'sent':
      body = <SentScreen reportId={screen.reportId} />;
      break;
    case 'thread':
      body = <ThreadScreen reportId={screen.reportId} />;
      break;
    case 'safety':
      body = <SafetyScreen />;
      break;
    default: {
      const never: never = screen;
      body = never;
    }
  }
  return <Ctx.Provider value={ctx}>{body}</Ctx.Provider>;
}

export type { MessageKey };
