/**
 * What a function's process sees: the template's variables, then the ones Lambda sets (which a
 * template cannot override), with every AWS endpoint pointed at the sandbox. Nothing is inherited
 * from the sandbox's own environment, so a developer's AWS credentials or profile never reach a
 * function and a forgotten endpoint fails instead of calling real AWS.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, realpath, rm, symlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { SessionCredentials } from '../../core/credentials';
import type { FunctionSpec } from '../../deploy/model';

export interface EnvironmentOptions {
  readonly region: string;
  readonly endpoint: string;
  readonly credentials: SessionCredentials;
  /** Folder whose node_modules stand in for the AWS SDK Lambda's Node.js runtimes include. */
  readonly runtimeModules: string;
  /** A path that does not exist, for the SDK's config and credentials files. */
  readonly noConfigFile: string;
}

export function functionEnvironment(
  fn: FunctionSpec,
  taskRoot: string,
  options: EnvironmentOptions,
): Record<string, string> {
  return {
    ...fn.environment,
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: 'UTC',
    NODE_PATH: options.runtimeModules,
    LAMBDA_TASK_ROOT: taskRoot,
    _HANDLER: fn.handler,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `sandbox/[$LATEST]/${fn.name}`,
    AWS_REGION: options.region,
    AWS_DEFAULT_REGION: options.region,
    AWS_ENDPOINT_URL: options.endpoint,
    AWS_ACCESS_KEY_ID: options.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: options.credentials.secretAccessKey,
    AWS_SESSION_TOKEN: options.credentials.sessionToken,
    AWS_CONFIG_FILE: options.noConfigFile,
    AWS_SHARED_CREDENTIALS_FILE: options.noConfigFile,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/**
 * Lambda's Node.js runtimes ship the AWS SDK v3, and bundlers leave `@aws-sdk/*` out of function
 * code for that reason. The sandbox offers the SDK packages it has itself: links to them in a
 * folder that becomes the function's NODE_PATH (only `@aws-sdk`, not the sandbox's other modules).
 */
export async function prepareRuntimeModules(stateDir: string): Promise<string> {
  const dir = join(stateDir, 'lambda', 'runtime', 'node_modules');
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, '@aws-sdk'), { recursive: true });
  const sdk = resolve(__dirname, '..', '..', '..', 'node_modules', '@aws-sdk');
  if (existsSync(sdk)) {
    for (const name of await readdir(sdk)) {
      await symlink(await realpath(join(sdk, name)), join(dir, '@aws-sdk', name), 'junction');
    }
  }
  return dir;
}
