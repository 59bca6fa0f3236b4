/**
 * Four tiers (STYLE.md §8). Unit and infra tests need nothing running; handler and integration
 * tests share one local stack (emulators + the local runtime) that their globalSetup starts, so
 * `npx jest test/unit` takes seconds and starts no emulator.
 * @type {import('jest').Config}
 */
const base = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
  },
  // middy 6 ships ESM only: let ts-jest turn it into CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
};

const withLocalStack = {
  ...base,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFiles: ['<rootDir>/test/support/lambda-environment.ts'],
};

module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...base, displayName: 'infra', testMatch: ['<rootDir>/test/infra/**/*.test.ts'] },
    { ...withLocalStack, displayName: 'stack', testMatch: ['<rootDir>/test/{handlers,integration}/**/*.test.ts'] },
  ],
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  // A global option: Jest ignores it inside a project.
  testTimeout: 60_000,
  maxWorkers: 2,
};
