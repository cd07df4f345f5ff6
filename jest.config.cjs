// middy 6 ships ESM only; @swc/jest turns both our TypeScript and middy's ESM into CommonJS,
// so Jest runs without --experimental-vm-modules.
//
// Three projects: `unit` needs nothing but Node (no database server, no bundles, no ports);
// `integration` runs the profile store and handlers on PGlite and on a throwaway PostgreSQL
// server started once by the global setup; `e2e` runs bundles, HTTP stacks, the emulator and the
// browser. `npm test` runs all three; `npm run test:unit` only the first.
const shared = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j|mj)s$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  clearMocks: true,
};

const withPostgres = {
  globalSetup: '<rootDir>/test/support/jest-global-setup.ts',
  globalTeardown: '<rootDir>/test/support/jest-global-teardown.ts',
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/test/{unit,web}/**/*.test.ts'] },
    {
      ...shared,
      ...withPostgres,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
    },
    {
      ...shared,
      ...withPostgres,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/{bundle,e2e,browser}/**/*.test.ts'],
    },
  ],
};
