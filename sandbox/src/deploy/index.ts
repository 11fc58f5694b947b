/**
 * "Deploys" a CDK cloud assembly into the sandbox: every stack in dependency order, every
 * intrinsic resolved, physical ids persisted in the state folder so they survive restarts.
 */
import { readCloudAssembly } from './assembly';
import { readAssets } from './assets';
import { buildModel } from './build-model';
import type { DeployedModel } from './model';
import { PhysicalIdStore } from './physical-ids';
import { deployTemplate, type DeployedStack } from './template';

/** The sandbox's AWS account id (the one LocalStack and the AWS docs' examples use for "no real account"). */
export const SANDBOX_ACCOUNT_ID = '000000000000';
export const DEFAULT_REGION = 'us-east-1';

export interface DeployOptions {
  /** The cloud assembly folder `cdk synth` wrote (holds manifest.json). */
  readonly cdkOutDir: string;
  /** The sandbox state folder; physical ids go to `<stateDir>/deploy/physical-ids.json`. */
  readonly stateDir: string;
  /** @default "us-east-1" */
  readonly region?: string;
}

export async function deployCloudAssembly(options: DeployOptions): Promise<DeployedModel> {
  const region = options.region ?? DEFAULT_REGION;
  const ids = await PhysicalIdStore.open(options.stateDir);
  const stackExports = new Map<string, unknown>();
  const deployed: DeployedStack[] = [];
  for (const stack of await readCloudAssembly(options.cdkOutDir)) {
    deployed.push(
      deployTemplate(stack.stackName, stack.template, {
        accountId: SANDBOX_ACCOUNT_ID,
        region,
        ids,
        exports: stackExports,
      }),
    );
  }
  const model = buildModel(deployed, SANDBOX_ACCOUNT_ID, region, await readAssets(options.cdkOutDir));
  // Persist only after the whole assembly deployed, so a failed deploy leaves the old ids untouched.
  await ids.save();
  return model;
}

export { DeployError } from './errors';
export type { DeployedModel } from './model';
