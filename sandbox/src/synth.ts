/**
 * Synthesizing the CDK app only when its sources changed, written once for `pnpm start`, the
 * sandbox tests and the web app's end-to-end tests. The sources are the CDK app (backend/bin,
 * backend/lib), the contracts package it imports, and the CDK context files.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from './core/logger';

/** The repository root (the folder holding cdk.json). */
export function repoRoot(): string {
  return resolve(__dirname, '..', '..');
}

const SOURCE_FILES = ['cdk.json', 'cdk.context.json'];
// backend/functions: the Lambda assets are bundled at synth, so their code is part of cdk.out too.
const SOURCE_DIRS = ['backend/bin', 'backend/lib', 'backend/functions', 'contracts/src'];

/** Every file the synthesized templates depend on, sorted; a missing one is left out. */
export async function cdkAppSources(root: string = repoRoot()): Promise<string[]> {
  const files = SOURCE_FILES.map((file) => join(root, file)).filter((file) => existsSync(file));
  for (const dir of SOURCE_DIRS) {
    if (!existsSync(join(root, dir))) continue;
    const entries = await readdir(join(root, dir), { recursive: true, withFileTypes: true });
    files.push(...entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)));
  }
  return files.sort();
}

/**
 * Synthesizes into `cdkOutDir` when it holds no cloud assembly or one older than a source. Runs the
 * CDK app directly, the way the CDK CLI does (CDK_OUTDIR + CDK_CONTEXT_JSON), with the context the
 * CLI would pass (cdk.json's context over the cdk.context.json cache): that skips the CLI's own
 * start-up, which is most of `cdk synth`'s time here.
 */
export async function synthIfStale(
  cdkOutDir: string,
  logger: Logger,
  root: string = repoRoot(),
): Promise<void> {
  const manifest = join(cdkOutDir, 'manifest.json');
  const builtAt = existsSync(manifest) ? (await stat(manifest)).mtimeMs : 0;
  let newest = 0;
  for (const file of await cdkAppSources(root)) newest = Math.max(newest, (await stat(file)).mtimeMs);
  if (builtAt > newest) return;
  logger.info(
    builtAt === 0
      ? 'no cloud assembly yet: synthesizing the CDK app'
      : 'CDK app changed since the last synth: synthesizing',
  );
  const cdkJson = JSON.parse(await readFile(join(root, 'cdk.json'), 'utf8')) as { context?: object };
  const cached = existsSync(join(root, 'cdk.context.json'))
    ? (JSON.parse(await readFile(join(root, 'cdk.context.json'), 'utf8')) as object)
    : {};
  const context = { ...cached, ...cdkJson.context };
  await new Promise<void>((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(root, 'backend', 'bin', 'app.ts')], {
      cwd: root,
      env: { ...process.env, CDK_OUTDIR: cdkOutDir, CDK_CONTEXT_JSON: JSON.stringify(context) },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolvePromise() : reject(new Error(`synth exited with ${code}`)),
    );
  });
}

/**
 * A cloud assembly of the CDK app with `context` added (`cdk synth -c key=value`), cached under
 * `<tmp>/<cacheName>/<hash of the sources and the context>`: synthesized once per source version.
 * A published assembly is never replaced, since another test run may be reading it.
 */
export async function cachedSynth(
  cacheName: string,
  context: Readonly<Record<string, string>> = {},
  root: string = repoRoot(),
): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify(Object.entries(context).sort()));
  for (const file of await cdkAppSources(root)) hash.update(file).update(await readFile(file));
  const target = join(tmpdir(), cacheName, hash.digest('hex').slice(0, 16));
  if (existsSync(join(target, 'manifest.json'))) return target;
  const scratch = await mkdtemp(join(tmpdir(), `${cacheName}-scratch-`));
  const contextArgs = Object.entries(context).flatMap(([key, value]) => ['-c', `${key}=${value}`]);
  await promisify(execFile)(
    join(root, 'node_modules', '.bin', 'cdk'),
    ['synth', '--quiet', '--no-notices', '--output', scratch, ...contextArgs],
    { cwd: root, env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: '1' }, timeout: 240_000 },
  );
  await mkdir(join(target, '..'), { recursive: true });
  try {
    await rename(scratch, target);
  } catch (err) {
    // Another run published the same assembly first; keep theirs.
    if (!existsSync(join(target, 'manifest.json'))) throw err;
    await rm(scratch, { recursive: true, force: true });
  }
  return target;
}
