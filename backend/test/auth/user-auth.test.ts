import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_EMAIL_SENDER_WARNING } from '../../lib/image-share-app';
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

describe('UserAuth email sender', () => {
  const SENDER = {
    fromAddress: 'noreply@example.com',
    sesIdentity: 'example.com',
    sesRegion: 'eu-west-1',
    displayName: 'Snapshelf',
    replyTo: 'help@example.com',
  };
  const ARN = 'arn:aws:ses:eu-west-1:123456789012:identity/example.com';
  const warnings = (context: Record<string, unknown>) => {
    const testApp = createTestApp(context);
    testApp.app.synth();
    return Annotations.fromStack(testApp.auth).findWarning(
      '*',
      Match.stringLikeRegexp('default email sender'),
    );
  };

  test("without a sender, the pool uses Cognito's default", () => {
    const pool = Object.values(templatesOf(createTestApp()).auth.findResources('AWS::Cognito::UserPool'))[0];
    expect(pool?.Properties.EmailConfiguration).toBeUndefined();
  });

  test('with a sender, the pool sends through SES from the verified domain in its region', () => {
    templatesOf(createTestApp({ emailSender: SENDER })).auth.hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: {
        EmailSendingAccount: 'DEVELOPER',
        From: 'Snapshelf <noreply@example.com>',
        ReplyToEmailAddress: 'help@example.com',
        SourceArn: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':ses:eu-west-1:',
              { Ref: 'AWS::AccountId' },
              ':identity/example.com',
            ],
          ],
        },
      },
    });
  });

  test('an address identity is named by the From address itself', () => {
    const template = templatesOf(
      createTestApp({ emailSender: { ...SENDER, sesIdentity: 'noreply@example.com' } }),
    ).auth;
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: Match.objectLike({
        SourceArn: { 'Fn::Join': ['', Match.arrayWith([':identity/noreply@example.com'])] },
      }),
    });
  });

  test('an identity ARN from config is used as written', () => {
    const template = templatesOf(
      createTestApp({ emailSender: { fromAddress: 'noreply@example.com', sesIdentity: ARN } }),
    ).auth;
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: Match.objectLike({ EmailSendingAccount: 'DEVELOPER', SourceArn: ARN }),
    });
  });

  test('prod without a sender synthesizes, with a warning naming the cap and the fix', () => {
    expect(warnings({ ...PROD_CONTEXT, emailSender: undefined })).toEqual([
      expect.objectContaining({
        id: expect.stringMatching(/UserAuth\/UserPool$/),
        entry: expect.objectContaining({
          data: expect.stringMatching(
            new RegExp(`few dozen messages a day.*emailSender.*\\[ack: ${DEFAULT_EMAIL_SENDER_WARNING}\\]`),
          ),
        }),
      }),
    ]);
  });

  test('prod with a sender has no warning', () => {
    expect(warnings(PROD_CONTEXT)).toEqual([]);
  });

  test('dev without a sender has no warning', () => {
    expect(warnings({})).toEqual([]);
  });
});
