import { createStore, useStore } from '../store';
import en from './en.json';
import fa from './fa.json';

export type Lang = 'en' | 'fa';
type Entry = string | { readonly [category: string]: string };
type Catalog = { readonly [key: string]: Entry };

const catalogs: Record<Lang, Catalog> = { en, fa };
export const LANGS: readonly Lang[] = ['en', 'fa'];
const DIRECTION: Record<Lang, 'ltr' | 'rtl'> = { en: 'ltr', fa: 'rtl' };

export const language = createStore<Lang>('en');

/** Sets the language and the root's `lang`/`dir`: right-to-left is a catalog, not a fork. */
export function setLanguage(lang: Lang): void {
  document.documentElement.lang = lang;
  document.documentElement.dir = DIRECTION[lang];
  language.set(lang);
}

function fill(text: string, vars: Record<string, string | number>, lang: Lang): string {
  return text.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = vars[name];
    if (v === undefined) return `{${name}}`;
    return typeof v === 'number' ? formatNumber(v, lang) : v;
  });
}

export function formatNumber(n: number, lang: Lang = language.get()): string {
  return new Intl.NumberFormat(lang === 'fa' ? 'fa-IR' : 'en-GB').format(n);
}

export function formatDateTime(iso: string | Date, lang: Lang = language.get()): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return new Intl.DateTimeFormat(lang === 'fa' ? 'fa-IR' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(d);
}

export function formatTime(iso: string | Date, lang: Lang = language.get()): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return new Intl.DateTimeFormat(lang === 'fa' ? 'fa-IR' : 'en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(d);
}

/** Translates `key`; a `count` picks the plural form with Intl.PluralRules. Falls back to English. */
export function translate(lang: Lang, key: string, vars: Record<string, string | number> = {}): string {
  const entry = catalogs[lang][key] ?? catalogs.en[key];
  if (entry === undefined) return key;
  if (typeof entry === 'string') return fill(entry, vars, lang);
  const count = typeof vars.count === 'number' ? vars.count : 0;
  const category = new Intl.PluralRules(lang).select(count);
  return fill(entry[category] ?? entry.other ?? '', vars, lang);
}

export type T = (key: string, vars?: Record<string, string | number>) => string;

export function useT(): T {
  const lang = useStore(language);
  return (key, vars) => translate(lang, key, vars);
}

/** Persian (U+06F0–9) and Arabic-Indic (U+0660–9) digits become ASCII, wherever digits are typed. */
export function asciiDigits(s: string): string {
  return s
    .replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660));
}
