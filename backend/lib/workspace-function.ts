import * as path from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';

const REPO_ROOT = path.join(__dirname, '..', '..');

/**
 * What every function of this app shares: its handler is `backend/functions/<name>/index.ts`,
 * bundled from the workspace root with the workspace's lock file, on Node 24 and x86_64 — the
 * architecture of the sandbox and CI hosts, so the asset that runs there is the one Lambda runs
 * and the benchmarks measure its code path.
 */
export function workspaceFunctionProps(
  name: string,
): Pick<
  nodejs.NodejsFunctionProps,
  'entry' | 'projectRoot' | 'depsLockFilePath' | 'runtime' | 'architecture'
> {
  return {
    entry: path.join(REPO_ROOT, 'backend', 'functions', name, 'index.ts'),
    projectRoot: REPO_ROOT,
    depsLockFilePath: path.join(REPO_ROOT, 'pnpm-lock.yaml'),
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.X86_64,
  };
}
