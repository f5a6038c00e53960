import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

// The reporter client's catalogs: every language has every key (a missing one fails here, not in
// front of a reporter), plural entries cover the language's plural categories, placeholders match
// English, every key the code uses exists, and each catalog says whether it awaits native review.
const dir = join(process.cwd(), 'apps', 'reporter', 'src', 'i18n');
const LOCALES: Record<string, string> = { en: 'en', fa: 'fa', prs: 'fa-AF', ps: 'ps' };
type Catalog = Record<string, unknown>;
const load = (lang: string): Catalog =>
  JSON.parse(readFileSync(join(dir, `${lang}.json`), 'utf8')) as Catalog;
const en = load('en');
const keys = (c: Catalog) =>
  Object.keys(c)
    .filter((k) => k !== '_meta')
    .sort();
const placeholders = (v: unknown): string[] => [...new Set(JSON.stringify(v).match(/\{\w+\}/g) ?? [])].sort();

function sourceFiles(d: string): string[] {
  return readdirSync(d).flatMap((n) => {
    const p = join(d, n);
    return statSync(p).isDirectory()
      ? sourceFiles(p)
      : /\.tsx?$/.test(n) && !n.endsWith('.spec.ts')
        ? [p]
        : [];
  });
}

describe('reporter message catalogs', () => {
  it('ship exactly the four languages', () => {
    expect(
      readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort(),
    ).toEqual(['en.json', 'fa.json', 'prs.json', 'ps.json']);
  });

  it.each(['fa', 'prs', 'ps'])(
    '%s has every English key and no other, with the same placeholders',
    (lang) => {
      const c = load(lang);
      expect(keys(c)).toEqual(keys(en));
      for (const k of keys(en)) {
        expect([k, placeholders(c[k])]).toEqual([k, placeholders(en[k])]);
        expect([k, typeof c[k]]).toEqual([k, typeof en[k]]);
        if (typeof c[k] === 'string') expect([k, (c[k] as string).trim().length > 0]).toEqual([k, true]);
      }
    },
  );

  it.each(Object.keys(LOCALES))('%s plural entries cover every plural category of the language', (lang) => {
    const c = load(lang);
    const categories = new Intl.PluralRules(LOCALES[lang]).resolvedOptions().pluralCategories;
    for (const k of keys(c)) {
      if (typeof c[k] !== 'object') continue;
      for (const cat of categories)
        expect([k, cat, typeof (c[k] as Record<string, string>)[cat]]).toEqual([k, cat, 'string']);
    }
  });

  it.each(['fa', 'prs', 'ps'])('%s says whether its translations still need a native speaker', (lang) => {
    expect(typeof (load(lang)._meta as { needsNativeReview?: unknown }).needsNativeReview).toBe('boolean');
  });

  it('has every key the client code uses', () => {
    const used = new Set<string>();
    for (const f of sourceFiles(join(process.cwd(), 'apps', 'reporter', 'src'))) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/tr\.[tn]\('([\w.]+)'/g)) used.add(m[1]);
      for (const m of text.matchAll(/\bk="([\w.]+)"/g)) used.add(m[1]);
      for (const m of text.matchAll(/'((?:status|category|imminence)\.[\w]+)'/g)) used.add(m[1]);
    }
    for (const dyn of [
      'kill_list',
      'direct_threat',
      'surveillance',
      'family_threatened',
      'abduction_attempt',
      'deportation_risk',
      'online_harassment',
      'other',
    ])
      used.add(`category.${dyn}`);
    for (const dyn of ['now', 'days', 'weeks', 'unknown']) used.add(`imminence.${dyn}`);
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((k) => !(k in en))).toEqual([]);
  });
});
