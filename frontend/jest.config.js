// Component and library tests: ts-jest (transpile only) in jsdom. CSS modules resolve to their
// class names; `@/` matches the tsconfig path alias.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'jsdom',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  moduleNameMapper: {
    '\\.module\\.css$': '<rootDir>/test/css-module.js',
    '\\.css$': '<rootDir>/test/css-global.js',
    '^@/(.*)$': '<rootDir>/$1',
  },
  transform: {
    '^.+\\.tsx?$': [
      'ts-jest',
      {
        // Type checking is `pnpm typecheck`'s job; tests only transpile (tsconfig has isolatedModules).
        diagnostics: false,
        tsconfig: { jsx: 'react-jsx', module: 'commonjs', moduleResolution: 'node16' },
      },
    ],
  },
};
