// The one place that finds and validates the outputs file (docs/conventions.md#frontend, rule 10). Server
// only: it reads the file system at request time, so a missing file becomes a setup page, not a failed build.
import { existsSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { findOutputs, OutputsError, toAmplifyOutputs } from '@image-share/contracts/outputs';
import { readCdkOutputs } from '@image-share/contracts/outputs-file';
import type { AmplifySetup } from './amplify-config';
import { DEPLOY_COMMAND, SANDBOX_COMMAND } from './setup-commands';

export interface AppConfig {
  /** The outputs file this config came from, relative to the repository root when inside it. */
  source: string;
  mode: 'aws' | 'sandbox';
  amplify: AmplifySetup;
  region: string;
  bucketName: string;
  userPoolClientId: string;
  /** CloudFront base URL of `public/` (no trailing slash). */
  publicBaseUrl: string;
}

export interface ConfigProblem {
  /** One sentence for the page heading and the first terminal line. */
  summary: string;
  /** Specific findings, e.g. every missing output key. */
  details: string[];
  /** The file that was looked for or read. */
  file: string;
}

export type ConfigResult = { ok: true; config: AppConfig } | { ok: false; problem: ConfigProblem };

export interface ConfigEnvironment {
  /** Absolute or cwd-relative path from APP_OUTPUTS_FILE. */
  outputsFile?: string;
  cwd: string;
}

function defaultEnvironment(): ConfigEnvironment {
  return { outputsFile: process.env.APP_OUTPUTS_FILE || undefined, cwd: process.cwd() };
}

/** APP_OUTPUTS_FILE, else a real deploy's `../outputs.json`, else the sandbox's `../outputs.sandbox.json`. */
export function resolveOutputsFile(env: ConfigEnvironment): string {
  if (env.outputsFile) return resolve(env.cwd, env.outputsFile);
  const deployed = resolve(env.cwd, '..', 'outputs.json');
  if (existsSync(/*turbopackIgnore: true*/ deployed)) return deployed;
  return resolve(env.cwd, '..', 'outputs.sandbox.json');
}

function displayPath(file: string, cwd: string): string {
  const fromRoot = relative(resolve(cwd, '..'), file);
  return fromRoot.startsWith('..') ? file : fromRoot;
}

/** Reads and validates the outputs file; never throws. */
export function loadConfigUncached(env: ConfigEnvironment = defaultEnvironment()): ConfigResult {
  const file = resolveOutputsFile(env);
  const shown = displayPath(file, env.cwd);
  if (!existsSync(/*turbopackIgnore: true*/ file)) {
    return {
      ok: false,
      problem: {
        summary: `No outputs file at ${shown}.`,
        details: [
          'The app needs the Region, UserPoolId, UserPoolClientId, IdentityPoolId, BucketName and PublicBaseUrl outputs of the deployed stacks.',
        ],
        file: shown,
      },
    };
  }
  try {
    const outputs = findOutputs(readCdkOutputs(file));
    const amplifyOutputs = toAmplifyOutputs(outputs);
    const sandboxEndpoint = amplifyOutputs.custom.sandbox?.endpoint;
    return {
      ok: true,
      config: {
        source: shown,
        mode: sandboxEndpoint ? 'sandbox' : 'aws',
        amplify: sandboxEndpoint
          ? { outputs: amplifyOutputs as unknown as Record<string, unknown>, sandboxEndpoint }
          : { outputs: amplifyOutputs as unknown as Record<string, unknown> },
        region: amplifyOutputs.storage.aws_region,
        bucketName: amplifyOutputs.storage.bucket_name,
        userPoolClientId: amplifyOutputs.auth.user_pool_client_id,
        publicBaseUrl: amplifyOutputs.custom.PublicBaseUrl.replace(/\/+$/, ''),
      },
    };
  } catch (error) {
    return {
      ok: false,
      problem: {
        summary: `The outputs file ${shown} cannot be used.`,
        details:
          error instanceof OutputsError
            ? [error.summary, ...error.problems]
            : [error instanceof Error ? error.message : String(error)],
        file: shown,
      },
    };
  }
}

let cache: { file: string; mtimeMs: number; result: ConfigResult } | undefined;

/**
 * Cached per file version: a deploy or a sandbox restart that rewrites the file is picked up on
 * the next request without restarting Next.js.
 */
export function loadConfig(env: ConfigEnvironment = defaultEnvironment()): ConfigResult {
  const file = resolveOutputsFile(env);
  const mtimeMs = statSync(/*turbopackIgnore: true*/ file, { throwIfNoEntry: false })?.mtimeMs ?? -1;
  if (cache && cache.file === file && cache.mtimeMs === mtimeMs) return cache.result;
  const result = loadConfigUncached(env);
  // Once per file version: the page shows visitors no details, the terminal gets them.
  if (!result.ok) console.warn(formatProblem(result.problem));
  cache = { file, mtimeMs, result };
  return result;
}

/** The same words the setup page shows, for the terminal. */
export function formatProblem(problem: ConfigProblem): string {
  return [
    `[frontend] ${problem.summary}`,
    ...problem.details.map((detail) => `  - ${detail}`),
    '  Create it with one of:',
    `    ${DEPLOY_COMMAND}   (real AWS; writes outputs.json)`,
    `    ${SANDBOX_COMMAND}   (local sandbox; writes outputs.sandbox.json)`,
    '  or point APP_OUTPUTS_FILE at an outputs file.',
  ].join('\n');
}
