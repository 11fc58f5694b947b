import { ADMINS_GROUP } from '@image-share/contracts/auth';
import { Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import {
  IdentityPool,
  IdentityPoolProviderUrl,
  UserPoolAuthenticationProvider,
} from 'aws-cdk-lib/aws-cognito-identitypool';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export interface UserIdentitiesProps {
  readonly userPool: cognito.IUserPool;
  readonly userPoolClient: cognito.IUserPoolClient;
}

/**
 * The identity pool that trades a user pool sign-in (or nothing, for guests) for AWS
 * credentials, the three roles it hands out, and the `admins` group that selects the admin role.
 */
export class UserIdentities extends Construct {
  public readonly identityPool: IdentityPool;
  public readonly guestRole: iam.IRole;
  public readonly authenticatedRole: iam.IRole;
  public readonly adminRole: iam.IRole;

  constructor(scope: Construct, id: string, props: UserIdentitiesProps) {
    super(scope, id);

    this.identityPool = new IdentityPool(this, 'IdentityPool', {
      allowUnauthenticatedIdentities: true,
      // Classic (basic) flow would let a caller pick any role the trust policies allow; keep it off.
      allowClassicFlow: false,
      authenticationProviders: {
        userPools: [
          new UserPoolAuthenticationProvider({
            userPool: props.userPool,
            userPoolClient: props.userPoolClient,
          }),
        ],
      },
      roleMappings: [
        {
          mappingKey: 'userPool',
          providerUrl: IdentityPoolProviderUrl.userPool(props.userPool, props.userPoolClient),
          // The ID token's cognito:preferred_role (set by group membership) picks the role.
          useToken: true,
          // Users in no group have no role claim: they get the default signed-in role.
          resolveAmbiguousRoles: true,
        },
      ],
    });
    // The default roles trust only this pool (aud) and only their own kind of sign-in (amr).
    this.guestRole = this.identityPool.unauthenticatedRole;
    this.authenticatedRole = this.identityPool.authenticatedRole;
    this.adminRole = new iam.Role(this, 'AdminRole', {
      description: 'Role for members of the admins user pool group',
      assumedBy: signedInPrincipal(this.identityPool.identityPoolId),
    });

    // The group lives here rather than next to the user pool: its role is created here, and
    // the identity pool already depends on the user pool, so the reverse reference would be a
    // cross-stack cycle (Auth -> Identity -> Auth).
    new cognito.CfnUserPoolGroup(this, 'AdminsGroup', {
      userPoolId: props.userPool.userPoolId,
      groupName: ADMINS_GROUP.name,
      precedence: ADMINS_GROUP.precedence,
      roleArn: this.adminRole.roleArn,
      description: 'Moderators: may write and delete anything under public/',
    });

    Validations.of(this.identityPool).acknowledge({
      id: 'AwsSolutions-COG7',
      reason:
        'Guests browse public images: the guest role may only read and list public/ (docs/security-model.md#storage-matrix, proven by the access matrix tests).',
    });
  }
}

/** A signed-in web identity of this identity pool: the same trust the default signed-in role has. */
function signedInPrincipal(identityPoolId: string): iam.FederatedPrincipal {
  return new iam.FederatedPrincipal(
    'cognito-identity.amazonaws.com',
    {
      StringEquals: { 'cognito-identity.amazonaws.com:aud': identityPoolId },
      'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
    },
    'sts:AssumeRoleWithWebIdentity',
  );
}
