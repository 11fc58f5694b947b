import * as path from 'node:path';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

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

/**
 * A function's own log group (kept a month) and an execution role that may write only to it,
 * rather than the default role with AWSLambdaBasicExecutionRole (logs anywhere). The caller adds
 * the role's other grants.
 */
export function functionRoleAndLogs(scope: Construct): { role: iam.Role; logGroup: logs.LogGroup } {
  const logGroup = new logs.LogGroup(scope, 'Logs', { retention: logs.RetentionDays.ONE_MONTH });
  const role = new iam.Role(scope, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  logGroup.grant(role, 'logs:CreateLogStream', 'logs:PutLogEvents');
  return { role, logGroup };
}
