/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Sources are .ts: a stray compiled .js beside one must not shadow it.
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    // Type checking is `pnpm typecheck`'s job; tests only transpile (tsconfig has isolatedModules).
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
};
