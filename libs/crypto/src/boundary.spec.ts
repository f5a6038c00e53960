import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/**
 * libs/crypto runs in browsers (the reporter page) and must never grow a dependency on Node or the
 * server framework. ESLint enforces this too; this test makes it fail in CI even if lint is skipped.
 */
const FORBIDDEN = [
  /^@nestjs\//,
  /^typeorm$/,
  /^pg$/,
  /^ioredis$/,
  /^bullmq$/,
  /^node:/,
  /^(fs|net|tls|http|https|crypto|stream|path|os|child_process|buffer|zlib)(\/.*)?$/,
];
const ALLOWED = new Set(['libsodium-wrappers-sumo']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

function importsOf(source: string): string[] {
  const specifiers: string[] = [];
  const patterns = [
    /\bfrom\s+['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /^\s*import\s+['"]([^'"]+)['"]/gm,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) specifiers.push(m[1]);
  return specifiers;
}

describe('libs/crypto/src stays browser-safe', () => {
  // expect.getState().testPath works under both CommonJS and native-ESM Jest (no __dirname there).
  const root = dirname(expect.getState().testPath as string);
  const files = sourceFiles(root);

  it('finds the library sources, and would catch a Node import (src/node is the only exception)', () => {
    expect(files.map((f) => relative(root, f))).toEqual(
      expect.arrayContaining(['index.ts', 'envelope.ts', 'attachment.ts']),
    );
    expect(files.some((f) => f.includes(`${join('src', 'node')}`))).toBe(false);
    const nodeAdapter = importsOf(readFileSync(join(root, 'node', 'attachment-streams.ts'), 'utf8'));
    expect(nodeAdapter.filter((spec) => FORBIDDEN.some((re) => re.test(spec)))).toContain('node:stream');
  });

  it.each(files.map((f) => [relative(root, f), f]))(
    '%s imports only relative modules and libsodium',
    (_name, file) => {
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        if (spec.startsWith('./') || spec.startsWith('../')) {
          expect(spec).not.toMatch(/(^|\/)node(\/|$)/);
          continue;
        }
        expect(FORBIDDEN.some((re) => re.test(spec))).toBe(false);
        expect(ALLOWED.has(spec)).toBe(true);
      }
    },
  );

  it('uses no Node globals (Buffer, process, require)', () => {
    for (const file of files) {
      const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect({
        file: relative(root, file),
        hit: /\b(Buffer|process|require|__dirname)\b/.exec(code)?.[0],
      }).toEqual({ file: relative(root, file), hit: undefined });
    }
  });
});
