#!/usr/bin/env node
// Runs every package's jest suite in turn and ends with the one line CI reads:
// "N passed, N failed". Jest's own summary is not a format the CI runner recognises.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const packages = ['backend', 'sandbox', 'frontend'];
const only = process.argv.slice(2);
const selected = only.length > 0 ? packages.filter((p) => only.includes(p)) : packages;
const dir = mkdtempSync(join(tmpdir(), 'run-tests-'));
let passed = 0;
let failed = 0;
let broken = [];

for (const pkg of selected) {
  const pkgJson = JSON.parse(readFileSync(new URL(`../${pkg}/package.json`, import.meta.url), 'utf8'));
  if (!pkgJson.scripts?.test) continue;
  const out = join(dir, `${pkg}.json`);
  console.log(`\n=== ${pkg} ===`);
  const res = spawnSync('pnpm', ['--filter', pkg, 'test', '--json', `--outputFile=${out}`], {
    stdio: 'inherit',
  });
  if (!existsSync(out)) {
    broken.push(pkg);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(out, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  // A suite that fails to load has no failed tests but is a failure all the same.
  if (report.numRuntimeErrorTestSuites > 0) {
    broken.push(pkg);
    failed += report.numRuntimeErrorTestSuites;
  }
  if (res.status !== 0 && report.numFailedTests === 0 && report.numRuntimeErrorTestSuites === 0) {
    broken.push(pkg);
    failed += 1;
  }
}
rmSync(dir, { recursive: true, force: true });
if (broken.length > 0) console.log(`\nSuites that did not run cleanly: ${broken.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
