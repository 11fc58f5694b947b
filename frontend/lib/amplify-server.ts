// Server code reaches Amplify through this module only (docs/conventions.md#frontend, rule 10).
import { createServerRunner } from '@aws-amplify/adapter-nextjs';
import { installSandboxFetch } from 'sandbox/dev';
import { toResourcesConfig } from './amplify-config';
import type { AppConfig } from './config';

type Runner = ReturnType<typeof createServerRunner>['runWithAmplifyServerContext'];

let current: { key: string; run: Runner } | undefined;

/** The runner for this config; rebuilt only when the outputs change. */
export function serverRunner(config: AppConfig): Runner {
  const key = JSON.stringify(config.amplify);
  if (current?.key === key) return current.run;
  if (config.amplify.sandboxEndpoint) {
    // S3 has no endpoint override in Amplify; the dispatcher sends its fetches to the sandbox.
    installSandboxFetch(config.amplify.sandboxEndpoint);
  }
  const { runWithAmplifyServerContext } = createServerRunner({ config: toResourcesConfig(config.amplify) });
  current = { key, run: runWithAmplifyServerContext };
  return runWithAmplifyServerContext;
}
