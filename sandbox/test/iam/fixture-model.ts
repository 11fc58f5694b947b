/**
 * The fixture cloud assembly deployed into a temp state folder, and the callers of the storage access
 * matrix (docs/security-model.md#storage-matrix).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { SessionCredentials } from '../../src/core/credentials';
import { deployCloudAssembly } from '../../src/deploy';
import type { DeployedModel } from '../../src/deploy/model';
import { synthesizeRealApp } from '../deploy/real-app';

export const FIXTURE_CDK_OUT = join(__dirname, '..', 'fixtures', 'cdk-out');

export async function deployFixture(region = 'us-east-1'): Promise<DeployedModel> {
  const stateDir = await mkdtemp(join(tmpdir(), 'sandbox-iam-'));
  return deployCloudAssembly({ cdkOutDir: FIXTURE_CDK_OUT, stateDir, region });
}

/** The real CDK app (backend/), synthesized once per source version and deployed into a temp state folder. */
export async function deployRealApp(region = 'us-east-1'): Promise<DeployedModel> {
  const stateDir = await mkdtemp(join(tmpdir(), 'sandbox-iam-real-'));
  return deployCloudAssembly({ cdkOutDir: await synthesizeRealApp(), stateDir, region });
}

export const ID_A = 'us-east-1:aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa';
export const ID_B = 'us-east-1:bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb';

export interface MatrixCallers {
  readonly bucket: string;
  readonly distributionArn: string;
  readonly guest: SessionCredentials;
  readonly userA: SessionCredentials;
  readonly admin: SessionCredentials;
}

/** Sessions as the identity service would issue them: the role from the role attachment / the admins group. */
export function matrixCallers(model: DeployedModel): MatrixCallers {
  const [pool] = [...model.identityPools.values()];
  const [userPool] = [...model.userPools.values()];
  const [bucket] = [...model.buckets.keys()];
  const [distribution] = [...model.distributions.values()];
  if (!pool?.roles.authenticated || !pool.roles.unauthenticated || !userPool || !bucket || !distribution) {
    throw new Error('fixture model is missing the identity pool roles, user pool, bucket or distribution');
  }
  const adminRole = userPool.groups.get('admins')?.roleArn;
  if (!adminRole) throw new Error('fixture model has no admins group role');
  const provider = `cognito-idp.${model.region}.amazonaws.com/${userPool.id}`;
  const session = (roleArn: string, identityId: string, authenticated: boolean): SessionCredentials => ({
    accessKeyId: 'ASIAEXAMPLEEXAMPLE01',
    secretAccessKey: 'secret',
    sessionToken: 'token',
    expiration: new Date('2026-01-01T01:00:00Z'),
    roleArn,
    assumedRoleArn: `arn:aws:sts::${model.accountId}:assumed-role/${roleArn.split('/').pop()}/CognitoIdentityCredentials`,
    identityId,
    identityPoolId: pool.id,
    amr: authenticated
      ? ['authenticated', provider, `${provider}:CognitoSignIn:0000-sub`]
      : ['unauthenticated'],
  });
  return {
    bucket,
    distributionArn: distribution.arn,
    guest: session(pool.roles.unauthenticated, ID_B.replace('bbbbbbbb', 'cccccccc'), false),
    userA: session(pool.roles.authenticated, ID_A, true),
    admin: session(adminRole, ID_A, true),
  };
}
