/**
 * The reliability suite (`npm run test:reliability`): figures, each asserted, printed as one table
 * at the end and written to test-artifacts/reliability/summary.md (docs/reliability.md). It runs on
 * the same local stack as the `stack` project of jest.config.js, but not as part of `npm test`.
 * Files run one at a time: the fuzzing file compares whole-table counts before and after, and the
 * race figures should not compete with another file for the two cores.
 * @type {import('jest').Config}
 */
const { projects } = require('./jest.config.js');

const stack = projects.find((project) => project.displayName === 'stack');

module.exports = {
  projects: [{ ...stack, displayName: 'reliability', testMatch: ['<rootDir>/test/reliability/**/*.test.ts'] }],
  reporters: ['default', '<rootDir>/test/reliability/support/figures-reporter.js', '<rootDir>/test/support/summary-reporter.js'],
  testTimeout: 90_000,
  maxWorkers: 1,
};
