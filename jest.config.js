/** Tests run against real servers (Temporal dev server, sandbox simulators), so timeouts are generous. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Type checking is done once by `npm run typecheck`; ts-jest only transpiles.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 120000,
  // The tests run the sandbox's config unless they name their own (no process has a silent default).
  setupFiles: ['<rootDir>/test/support/sandbox-config-env.js'],
  reporters: ['default', '<rootDir>/test/support/plain-summary-reporter.js'],
};
