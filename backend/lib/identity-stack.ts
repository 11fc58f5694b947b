import { OUTPUT_KEYS } from '@image-share/contracts/outputs';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { UserIdentities } from './identity/user-identities';

export interface IdentityStackProps extends StackProps {
  readonly userPool: cognito.IUserPool;
  readonly userPoolClient: cognito.IUserPoolClient;
}

/** The identity pool, its guest / signed-in / admin roles, and the admins group. */
export class IdentityStack extends Stack {
  public readonly guestRole: iam.IRole;
  public readonly authenticatedRole: iam.IRole;
  public readonly adminRole: iam.IRole;

  constructor(scope: Construct, id: string, props: IdentityStackProps) {
    super(scope, id, props);
    const identities = new UserIdentities(this, 'UserIdentities', {
      userPool: props.userPool,
      userPoolClient: props.userPoolClient,
    });
    this.guestRole = identities.guestRole;
    this.authenticatedRole = identities.authenticatedRole;
    this.adminRole = identities.adminRole;

    new CfnOutput(this, OUTPUT_KEYS.identityPoolId, { value: identities.identityPool.identityPoolId });
  }
}
