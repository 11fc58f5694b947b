/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Sources are .ts: a stray compiled .js beside one must not shadow it (jest tries js first by default).
  moduleFileExtensions: ['ts', 'js', 'json'],
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
