// Minimal TypeScript loader for `node -r ./bench/crypto.register.js some.ts` (no ts-node in the
// repo): transpiles .ts files on require with the project's TypeScript and maps `@panah/<lib>`
// to libs/<lib>/src, like tsconfig paths and jest's moduleNameMapper do. No type checking here:
// `npm run typecheck` does that.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const ts = require('typescript');

const root = path.resolve(__dirname, '..');
const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolve(request, parent, ...rest) {
  const match = /^@panah\/([^/]+)(\/.*)?$/.exec(request);
  if (match) request = path.join(root, 'libs', match[1], 'src', match[2] ?? '');
  return originalResolve.call(this, request, parent, ...rest);
};

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false },
  });
  module._compile(outputText, filename);
};
