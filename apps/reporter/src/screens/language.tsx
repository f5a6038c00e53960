import { useApp } from '../app';
import { LANGUAGES } from '../i18n';

/** The first screen: the language, in its own script (remembered in memory only). */
export function LanguageScreen() {
  const { setLang, go } = useApp();
  return (
    <div class="page" data-screen="language">
      <main class="center">
        <h1 class="brand-big">Panah · پناه</h1>
        <ul class="choices">
          {LANGUAGES.map((l) => (
            <li key={l.code}>
              <button
                type="button"
                class="big"
                lang={l.htmlLang}
                dir={l.dir}
                data-testid={`lang-${l.code}`}
                onClick={() => {
                  setLang(l.code);
                  go({ name: 'welcome' });
                }}
              >
                {l.name}
              </button>
            </li>
          ))}
        </ul>
      </main>
    </div>
  );
}
