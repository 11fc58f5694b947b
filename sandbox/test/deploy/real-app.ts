/**
 * Synthesizes the real CDK app (backend/) once per source version, for tests that deploy the real
 * templates. The cloud assembly is cached in the temp folder under a hash of the app's sources.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  const files = ['cdk.json', 'cdk.context.json'].map((f) => join(REPO_ROOT, f));
  for (const dir of ['backend/bin', 'backend/lib']) {
    const entries = await readdir(join(REPO_ROOT, dir), { recursive: true, withFileTypes: true });
    files.push(...entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)));
  }
  for (const file of files.sort()) {
    if (!existsSync(file)) continue;
    hash.update(file).update(await readFile(file));
  }
  return hash.digest('hex').slice(0, 16);
}

/** Returns a cdk.out folder holding the real app's synthesized templates. */
export async function synthesizeRealApp(): Promise<string> {
  const target = join(tmpdir(), 'sandbox-test-cdk-out', await sourceHash());
  if (existsSync(join(target, 'manifest.json'))) return target;
  const scratch = await mkdtemp(join(tmpdir(), 'sandbox-synth-'));
  const cdk = join(REPO_ROOT, 'node_modules', '.bin', 'cdk');
  await promisify(execFile)(cdk, ['synth', '--quiet', '--no-notices', '--output', scratch], {
    cwd: REPO_ROOT,
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: '1' },
    timeout: 240_000,
  });
  // Publish atomically, and never replace a published assembly: another test run may be reading it.
  await mkdir(join(target, '..'), { recursive: true });
  try {
    await rename(scratch, target);
  } catch (err) {
    if (!existsSync(join(target, 'manifest.json'))) throw err;
    await rm(scratch, { recursive: true, force: true });
  }
  return target;
}
