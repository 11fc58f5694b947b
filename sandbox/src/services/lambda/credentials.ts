/**
 * Short-lived credentials for a function's execution role, as Lambda hands them to a function in
 * its environment. They go into the sandbox's credential store, so every request the function
 * signs is authorised with its role's policies, like any other caller's.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock';
import type { SessionCredentials } from '../../core/credentials';
import type { DeployedModel, FunctionSpec } from '../../deploy/model';

/** Lambda's credentials last for hours; one hour keeps expiry (and renewal) exercised locally. */
export const FUNCTION_CREDENTIALS_LIFETIME_MS = 60 * 60 * 1000;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function issueFunctionCredentials(
  model: DeployedModel,
  fn: FunctionSpec,
  clock: Clock,
): SessionCredentials {
  const roleName = model.roles.get(fn.roleArn)?.name ?? fn.roleArn.split('/').pop() ?? fn.roleArn;
  return {
    accessKeyId: `ASIA${[...randomBytes(16)].map((b) => BASE32[b % 32]).join('')}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: randomBytes(96).toString('base64'),
    expiration: new Date(clock.now().getTime() + FUNCTION_CREDENTIALS_LIFETIME_MS),
    roleArn: fn.roleArn,
    // Lambda names the role session after the function.
    assumedRoleArn: `arn:aws:sts::${model.accountId}:assumed-role/${roleName}/${fn.name}`,
  };
}
