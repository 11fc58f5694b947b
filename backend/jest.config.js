/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/support/cleanup.ts'],
  // Synthesizing three stacks with cdk-nag takes a few seconds on a shared 2-core machine.
  testTimeout: 60000,
  // The machine has 2 cores shared with other packages' suites; synthesis is CPU-bound.
  maxWorkers: 1,
  transform: {
    // Type checking is `pnpm typecheck`'s job; tests only transpile (tsconfig has isolatedModules).
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
};
