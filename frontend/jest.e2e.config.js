// End-to-end suite: Debian's Chromium (playwright-core) against the sandbox and a production build
// of this app, started by the suite itself (e2e/support/stack.ts). One file, in order, in band: the
// scenarios are one person's story and share the running stack. `pnpm test:e2e` from the root.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/e2e'],
  testMatch: ['**/*.e2e.ts'],
  maxWorkers: 1,
  // Per scenario; starting the stack has its own, longer limit in the suite.
  testTimeout: 90_000,
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        diagnostics: false,
        tsconfig: { module: 'commonjs', moduleResolution: 'node16', isolatedModules: true },
      },
    ],
  },
};
