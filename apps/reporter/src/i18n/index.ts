/**
 * Message catalogs (i18n/<lang>.json) with plural rules from Intl.PluralRules. A plural entry is
 * an object keyed by plural category ({ "one": …, "other": … }); `{name}` placeholders are
 * replaced by the values given. The language lives in memory only (chosen on the first screen).
 */
import en from './en.json';
import fa from './fa.json';
import prs from './prs.json';
import ps from './ps.json';

export type Lang = 'en' | 'prs' | 'ps' | 'fa';
type Entry = string | Record<string, string>;
type Catalog = Record<string, Entry | unknown>;

export const LANGUAGES: readonly {
  code: Lang;
  name: string;
  dir: 'ltr' | 'rtl';
  htmlLang: string;
  intl: string;
}[] = [
  { code: 'prs', name: 'دری', dir: 'rtl', htmlLang: 'fa-AF', intl: 'fa-AF' },
  { code: 'ps', name: 'پښتو', dir: 'rtl', htmlLang: 'ps', intl: 'ps' },
  { code: 'fa', name: 'فارسی', dir: 'rtl', htmlLang: 'fa', intl: 'fa' },
  { code: 'en', name: 'English', dir: 'ltr', htmlLang: 'en', intl: 'en' },
];

const CATALOGS: Record<Lang, Catalog> = { en, fa, prs, ps };

export type MessageKey = keyof typeof en & string;

export interface Translator {
  readonly lang: Lang;
  readonly dir: 'ltr' | 'rtl';
  readonly intl: string;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  /** Plural entry chosen by `count` (also available as {count}). */
  n(key: MessageKey, count: number, vars?: Record<string, string | number>): string;
  /** A number in the language's digits. */
  num(value: number): string;
  time(iso: string): string;
}

function fill(text: string, vars: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

export function translator(lang: Lang): Translator {
  const info = LANGUAGES.find((l) => l.code === lang) ?? LANGUAGES[3];
  const catalog = CATALOGS[lang];
  const plural = new Intl.PluralRules(info.intl);
  const numbers = new Intl.NumberFormat(info.intl);
  const dates = new Intl.DateTimeFormat(info.intl, { dateStyle: 'medium', timeStyle: 'short' });
  const lookup = (key: string): Entry => (catalog[key] ?? (en as Catalog)[key] ?? key) as Entry;
  return {
    lang,
    dir: info.dir,
    intl: info.intl,
    t: (key, vars = {}) => {
      const e = lookup(key);
      return fill(typeof e === 'string' ? e : (e.other ?? key), vars);
    },
    n: (key, count, vars = {}) => {
      const e = lookup(key);
      const text = typeof e === 'string' ? e : (e[plural.select(count)] ?? e.other ?? key);
      return fill(text, { count: numbers.format(count), ...vars });
    },
    num: (value) => numbers.format(value),
    time: (iso) => dates.format(new Date(iso)),
  };
}

/** Persian digits for showing an access code in the reporter's script (input accepts either). */
export function persianDigits(text: string): string {
  return text.replace(/[0-9]/g, (d) => String.fromCharCode(0x6f0 + Number(d)));
}
