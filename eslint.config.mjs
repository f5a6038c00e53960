// @ts-check
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/** What code that is bundled for a browser (libs/crypto, libs/api-client) may not import. */
const BROWSER_UNSAFE_IMPORTS = [
  'fs',
  'node:*',
  'net',
  'crypto',
  'stream',
  '@nestjs/*',
  'typeorm',
  'pg',
  'ioredis',
  'bullmq',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-cycle': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../../*'], message: 'Import other libraries by their @panah/* alias.' }] },
      ],
    },
  },
  {
    // The staff console (a Vite app): screens import their siblings by relative path; .tsx too.
    files: ['apps/console/**/*.ts', 'apps/console/**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Tests boot the apps in-process through their factories.
    files: ['test/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The API client is bundled by the web clients: no Node-only modules, no framework.
    files: ['libs/api-client/src/**/*.ts'],
    ignores: ['libs/api-client/src/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...BROWSER_UNSAFE_IMPORTS, '@panah/*'],
              message: 'libs/api-client runs in browsers: no Node, framework or server-library imports.',
            },
          ],
        },
      ],
    },
  },
  {
    // The crypto library must bundle for a browser: no Node-only modules, no framework.
    files: ['libs/crypto/src/**/*.ts'],
    ignores: ['libs/crypto/src/**/*.spec.ts', 'libs/crypto/src/node/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: BROWSER_UNSAFE_IMPORTS,
              message: 'libs/crypto runs in browsers: no Node or framework imports.',
            },
          ],
        },
      ],
    },
  },
  {
    // Domain rules are pure: no I/O, no framework.
    files: ['libs/domain/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@nestjs/*',
                'typeorm',
                'pg',
                'ioredis',
                'bullmq',
                'class-validator',
                '@panah/db',
                '@panah/queue',
                'fs',
                'node:fs',
                'net',
              ],
              message: 'libs/domain is pure: no I/O or framework imports.',
            },
          ],
        },
      ],
    },
  },
);
