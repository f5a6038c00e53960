import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * The table-ownership check (issue 14), as a function so a test can run it on the real tree and
 * on a fixture tree: every `.query(` sits in a `*.repository.ts` (or a migration), and the SQL of a
 * library names only tables that library owns.
 */
export interface OwnershipRules {
  /** table → owning library (libs/<name>). */
  readonly owners: Readonly<Record<string, string>>;
  /** Files that still run SQL outside a repository (a ratchet: it may only shrink). */
  readonly legacySqlFiles: readonly string[];
  /** Tables any library may insert into (the outbox: a change and its job row are one statement). */
  readonly sharedInserts: readonly string[];
  /** file → tables of other owners it may name, each entry with its reason. */
  readonly foreignTables: Readonly<
    Record<string, { readonly tables: readonly string[]; readonly why: string }>
  >;
}

export interface OwnershipReport {
  /** `.query(` outside a repository or migration, not in the legacy list. */
  readonly sqlOutsideRepositories: string[];
  /** `file: table (owner)` for each table a file names that its library does not own. */
  readonly foreignTableUses: string[];
  /** Legacy or foreign-table entries that no longer match anything (remove them). */
  readonly staleExceptions: string[];
  readonly scannedFiles: number;
}

const TABLE_REF = /\b(from|join|into|update|table|exists)\s+(?:only\s+)?"?([a-z_][a-z0-9_]*)"?/gi;

export function checkTableOwnership(root: string, rules: OwnershipRules): OwnershipReport {
  const files = ['libs', 'apps'].flatMap((top) => sourceFiles(root, top));
  const sqlOutsideRepositories: string[] = [];
  const foreignTableUses: string[] = [];
  const usedLegacy = new Set<string>();
  const usedForeign = new Set<string>();
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    const code = stripComments(text);
    const isMigration = /^libs\/db\/src\/migrations\//.test(file);
    if (isMigration) continue;
    if (/\.query\(/.test(code) && !file.endsWith('.repository.ts')) {
      if (rules.legacySqlFiles.includes(file)) usedLegacy.add(file);
      else sqlOutsideRepositories.push(file);
    }
    const owner = /^libs\/([^/]+)\//.exec(file)?.[1] ?? null;
    const allowed = rules.foreignTables[file]?.tables ?? [];
    const written = tablesWritten(code, rules.owners, rules.sharedInserts);
    for (const table of tablesNamed(code, rules.owners, rules.sharedInserts)) {
      if (rules.owners[table] === owner) continue;
      // An exception lets a statement read another owner's table (a join on a hot path), never write it.
      if (allowed.includes(table)) {
        usedForeign.add(`${file}:${table}`);
        if (!written.has(table)) continue;
      }
      foreignTableUses.push(`${file}: ${table} (owned by ${rules.owners[table]})`);
    }
  }
  const staleExceptions = [
    ...rules.legacySqlFiles.filter((f) => !usedLegacy.has(f)).map((f) => `legacy SQL file ${f}`),
    ...Object.entries(rules.foreignTables).flatMap(([f, e]) =>
      e.tables.filter((t) => !usedForeign.has(`${f}:${t}`)).map((t) => `foreign table ${t} in ${f}`),
    ),
  ];
  return { sqlOutsideRepositories, foreignTableUses, staleExceptions, scannedFiles: files.length };
}

/**
 * The owned tables a source text names in its string literals (SQL), never in comments; an
 * `INSERT INTO` one of `sharedInserts` does not count.
 */
export function tablesNamed(
  code: string,
  owners: Readonly<Record<string, string>>,
  sharedInserts: readonly string[] = [],
): Set<string> {
  const found = new Set<string>();
  for (const literal of stringLiterals(code)) {
    for (const m of literal.matchAll(TABLE_REF)) {
      const keyword = m[1].toLowerCase();
      const name = m[2].toLowerCase();
      if (keyword === 'into' && sharedInserts.includes(name)) continue;
      if (Object.hasOwn(owners, name)) found.add(name);
    }
  }
  return found;
}

/** The owned tables a source text inserts into, updates or deletes from (shared inserts aside). */
export function tablesWritten(
  code: string,
  owners: Readonly<Record<string, string>>,
  sharedInserts: readonly string[] = [],
): Set<string> {
  const found = new Set<string>();
  for (const literal of stringLiterals(code)) {
    for (const m of literal.matchAll(
      /\b(insert\s+into|update|delete\s+from|truncate(?:\s+table)?|alter\s+table|drop\s+table)\s+(?:only\s+)?"?([a-z_][a-z0-9_]*)"?/gi,
    )) {
      const name = m[2].toLowerCase();
      if (/^insert/i.test(m[1]) && sharedInserts.includes(name)) continue;
      if (Object.hasOwn(owners, name)) found.add(name);
    }
  }
  return found;
}

function sourceFiles(root: string, top: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of entries) {
      if (name === 'node_modules' || name === 'dist') continue;
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.d.ts'))
        out.push(relative(root, full).split(sep).join('/'));
    }
  };
  walk(join(root, top));
  return out.sort();
}

/** The text without // and /* *\/ comments (string contents kept). */
function stripComments(text: string): string {
  let out = '';
  for (const token of tokens(text)) if (token.kind !== 'comment') out += token.text;
  return out;
}

function stringLiterals(text: string): string[] {
  return tokens(text)
    .filter((t) => t.kind === 'string')
    .map((t) => t.text);
}

/** A small lexer: enough of TypeScript to tell comments and string literals from code. */
function tokens(text: string): { kind: 'code' | 'comment' | 'string'; text: string }[] {
  const out: { kind: 'code' | 'comment' | 'string'; text: string }[] = [];
  let i = 0;
  let code = '';
  const flush = (): void => {
    if (code) out.push({ kind: 'code', text: code });
    code = '';
  };
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      flush();
      out.push({ kind: 'comment', text: text.slice(i, end === -1 ? text.length : end) });
      i = end === -1 ? text.length : end;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      flush();
      out.push({ kind: 'comment', text: text.slice(i, end === -1 ? text.length : end + 2) });
      i = end === -1 ? text.length : end + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      flush();
      out.push({ kind: 'string', text: text.slice(i, j + 1) });
      i = j + 1;
    } else {
      code += c;
      i += 1;
    }
  }
  flush();
  return out;
}
