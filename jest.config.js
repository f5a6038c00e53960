/**
 * Two tiers: `unit` (pure code next to the source, no I/O) and `e2e` (real PostgreSQL, Redis,
 * SMTP). NestJS 12 ships as ES modules only, which Jest loads only in its native ESM mode on
 * Node 20, so tests run as ESM (`node --experimental-vm-modules`, see scripts/test.sh) while the
 * production build stays CommonJS (Node 20.19+ loads ESM packages through require(esm)).
 */
const shared = {
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json', useESM: true, diagnostics: false }],
  },
  moduleNameMapper: {
    '^@panah/crypto/node$': '<rootDir>/libs/crypto/src/node',
    '^@panah/(.*)$': '<rootDir>/libs/$1/src',
  },
  testEnvironment: 'node',
};

module.exports = {
  testTimeout: 120000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      rootDir: __dirname,
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      setupFiles: ['<rootDir>/test/support/fetch-retry.ts'],
    },
  ],
};
