/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Before any test module loads Amplify: see the file for why.
  setupFiles: ['<rootDir>/test/helpers/amplify-bigint-speed.ts'],
  transform: {
    // Type checking is `pnpm typecheck`'s job; tests only transpile, which keeps them fast.
    '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }],
  },
};
