#!/usr/bin/env node
// Runs every package's jest suite in turn and ends with the one line CI reads:
// "N passed, N failed". Jest's own summary is not a format the CI runner recognises.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Each suite: the folder of the package that runs it and the package script. `e2e` (a real Chromium against the
// sandbox and a production build of the web app) runs only when asked for: `pnpm test:e2e`.
const suites = {
  contracts: { pkg: 'contracts', script: 'test' },
  backend: { pkg: 'backend', script: 'test' },
  sandbox: { pkg: 'sandbox', script: 'test' },
  frontend: { pkg: 'frontend', script: 'test' },
  e2e: { pkg: 'frontend', script: 'test:e2e' },
};
const only = process.argv.slice(2);
const selected = only.length > 0 ? only : ['contracts', 'backend', 'sandbox', 'frontend'];
for (const name of selected) {
  if (!(name in suites)) {
    console.error(`Unknown suite "${name}"; choose from ${Object.keys(suites).join(', ')}.`);
    process.exit(2);
  }
}
const SUITE_TIMEOUT_MS = 25 * 60 * 1000;
const dir = mkdtempSync(join(tmpdir(), 'run-tests-'));
let passed = 0;
let failed = 0;
const broken = [];

for (const name of selected) {
  const { pkg, script } = suites[name];
  const pkgJson = JSON.parse(readFileSync(new URL(`../${pkg}/package.json`, import.meta.url), 'utf8'));
  if (!pkgJson.scripts?.[script]) {
    console.error(`${pkg} has no "${script}" script.`);
    broken.push(name);
    failed += 1;
    continue;
  }
  const out = join(dir, `${name}.json`);
  console.log(`\n=== ${name} ===`);
  const res = spawnSync('pnpm', ['--filter', `./${pkg}`, script, '--json', `--outputFile=${out}`], {
    stdio: 'inherit',
    // A suite that never exits (a leaked handle) fails here instead of stalling CI.
    timeout: SUITE_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  if (res.error?.code === 'ETIMEDOUT')
    console.error(`${name} did not finish within ${SUITE_TIMEOUT_MS / 60000} minutes.`);
  if (!existsSync(out)) {
    broken.push(name);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(out, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  // A suite that fails to load has no failed tests but is a failure all the same.
  if (report.numRuntimeErrorTestSuites > 0) {
    broken.push(name);
    failed += report.numRuntimeErrorTestSuites;
  }
  if (res.status !== 0 && report.numFailedTests === 0 && report.numRuntimeErrorTestSuites === 0) {
    broken.push(name);
    failed += 1;
  }
}
rmSync(dir, { recursive: true, force: true });
if (broken.length > 0) console.log(`\nSuites that did not run cleanly: ${broken.join(', ')}`);
// CI runs `pnpm test` and `pnpm test:e2e` and prints one total from this file.
if (process.env.TEST_SUMMARY_FILE) appendFileSync(process.env.TEST_SUMMARY_FILE, `${passed} ${failed}\n`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
