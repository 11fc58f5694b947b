import { Match, type Template } from 'aws-cdk-lib/assertions';
import { createTestApp, templatesOf } from '../support/test-app';

const POOL = 'UserIdentitiesIdentityPool4C06CF8A';

const trustFor = (amr: string) => ({
  AssumeRolePolicyDocument: {
    Statement: [
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Principal: { Federated: 'cognito-identity.amazonaws.com' },
        Condition: {
          StringEquals: { 'cognito-identity.amazonaws.com:aud': { Ref: POOL } },
          'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': amr },
        },
      },
    ],
  },
});

describe('UserIdentities', () => {
  let identity: Template;
  beforeAll(() => {
    identity = templatesOf(createTestApp()).identity;
  });

  test('keeps the identity pool logical id (changing it replaces every identity id, orphaning all folders)', () => {
    expect(Object.keys(identity.findResources('AWS::Cognito::IdentityPool'))).toEqual([POOL]);
  });

  test('lets guests in, with the classic flow off', () => {
    identity.hasResourceProperties('AWS::Cognito::IdentityPool', {
      AllowUnauthenticatedIdentities: true,
      AllowClassicFlow: false,
    });
  });

  test('accepts sign-ins of the app client of the user pool only', () => {
    identity.hasResourceProperties('AWS::Cognito::IdentityPool', {
      CognitoIdentityProviders: [
        Match.objectLike({
          ClientId: { 'Fn::ImportValue': Match.stringLikeRegexp('UserPoolWebClient') },
          ProviderName: {
            'Fn::Join': [
              '',
              [
                'cognito-idp.',
                { Ref: 'AWS::Region' },
                '.',
                { Ref: 'AWS::URLSuffix' },
                '/',
                { 'Fn::ImportValue': Match.stringLikeRegexp('ExportsOutputRefUserAuthUserPool8E40F092') },
              ],
            ],
          },
          ServerSideTokenCheck: true,
        }),
      ],
    });
  });

  test('the guest role trusts only unauthenticated identities of this pool', () => {
    identity.hasResourceProperties('AWS::IAM::Role', trustFor('unauthenticated'));
  });

  test('the signed-in and admin roles trust only authenticated identities of this pool', () => {
    expect(
      Object.keys(identity.findResources('AWS::IAM::Role', { Properties: trustFor('authenticated') })),
    ).toEqual(['UserIdentitiesIdentityPoolAuthenticatedRole743C0888', 'UserIdentitiesAdminRoleFD10A58A']);
  });

  test('there are exactly three roles', () => {
    identity.resourceCountIs('AWS::IAM::Role', 3);
  });

  test('maps roles from the token, falling back to the signed-in role', () => {
    identity.hasResourceProperties('AWS::Cognito::IdentityPoolRoleAttachment', {
      RoleMappings: {
        userPool: Match.objectLike({ Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' }),
      },
      Roles: {
        authenticated: { 'Fn::GetAtt': ['UserIdentitiesIdentityPoolAuthenticatedRole743C0888', 'Arn'] },
        unauthenticated: { 'Fn::GetAtt': ['UserIdentitiesIdentityPoolUnauthenticatedRole97721FAB', 'Arn'] },
      },
    });
  });

  test('the admins group selects the admin role, ahead of any other group', () => {
    identity.hasResourceProperties('AWS::Cognito::UserPoolGroup', {
      GroupName: 'admins',
      Precedence: 0,
      RoleArn: { 'Fn::GetAtt': ['UserIdentitiesAdminRoleFD10A58A', 'Arn'] },
      UserPoolId: { 'Fn::ImportValue': Match.stringLikeRegexp('UserPool') },
    });
  });

  test('the roles carry no permissions of their own (storage access is attached by the storage stack)', () => {
    identity.resourceCountIs('AWS::IAM::Policy', 0);
    identity.allResourcesProperties('AWS::IAM::Role', {
      Policies: Match.absent(),
      ManagedPolicyArns: Match.absent(),
    });
  });

  test('declares the IdentityPoolId output', () => {
    identity.hasOutput('IdentityPoolId', { Value: { Ref: POOL } });
  });
});
