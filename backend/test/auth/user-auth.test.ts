import { Match, type Template } from 'aws-cdk-lib/assertions';
import { createTestApp, PROD_CONTEXT, templatesOf } from '../support/test-app';

describe('UserAuth', () => {
  let dev: Template;
  let prod: Template;
  beforeAll(() => {
    dev = templatesOf(createTestApp()).auth;
    prod = templatesOf(createTestApp(PROD_CONTEXT)).auth;
  });

  test('keeps the user pool logical id (changing it replaces the pool and loses every account)', () => {
    expect(Object.keys(dev.findResources('AWS::Cognito::UserPool'))).toEqual(['UserAuthUserPool8E40F092']);
  });

  test('signs people in by email, verified automatically', () => {
    dev.hasResourceProperties('AWS::Cognito::UserPool', {
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
    });
  });

  test('lets people sign up themselves', () => {
    dev.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
    });
  });

  test('recovers accounts by email only', () => {
    dev.hasResourceProperties('AWS::Cognito::UserPool', {
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
    });
  });

  test('requires 12+ character passwords with every character class', () => {
    dev.hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
    });
  });

  test('offers optional MFA with TOTP only', () => {
    dev.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    });
  });

  test('the web client signs in with SRP only and has no secret', () => {
    dev.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
  });

  test('the web client hides whether an account exists and can revoke tokens', () => {
    dev.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
    });
  });

  test('tokens: access and id for 60 minutes, refresh for 30 days', () => {
    dev.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
      RefreshTokenValidity: 43200,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
    });
  });

  test('the web client may write the email attribute only', () => {
    dev.hasResourceProperties('AWS::Cognito::UserPoolClient', { WriteAttributes: ['email'] });
  });

  test('the web client has no OAuth flows', () => {
    dev.hasResourceProperties('AWS::Cognito::UserPoolClient', { AllowedOAuthFlows: Match.absent() });
  });

  test('dev: the pool goes with the stack', () => {
    dev.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtection: 'INACTIVE' }),
    });
  });

  test('prod: the pool is retained and protected from deletion', () => {
    prod.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
    });
  });

  test.each([
    ['Region', { Ref: 'AWS::Region' }],
    ['UserPoolId', { Ref: 'UserAuthUserPool8E40F092' }],
    ['UserPoolClientId', { Ref: 'UserAuthUserPoolWebClient44DBDE5E' }],
  ])('declares the %s output', (key, value) => {
    dev.hasOutput(key, { Value: value });
  });
});
