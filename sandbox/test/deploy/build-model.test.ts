import type { AssetLocator } from '../../src/deploy/assets';
import { buildModel } from '../../src/deploy/build-model';
import type { DeployedResource, DeployedStack } from '../../src/deploy/template';

const ACCOUNT = '000000000000';
const NO_ASSETS: AssetLocator = { byMetadataPath: () => undefined, byObjectKey: () => undefined };

function resource(
  logicalId: string,
  type: string,
  physicalId: string,
  properties: Record<string, unknown>,
  attributes: Record<string, string> = {},
): DeployedResource {
  return { stack: 'S', logicalId, type, physicalId, attributes, properties, supported: true };
}

function model(...resources: DeployedResource[]) {
  const stack: DeployedStack = { stackName: 'S', resources, outputs: {}, skippedOutputs: [] };
  return buildModel([stack], ACCOUNT, 'us-east-1', NO_ASSETS);
}

const trust = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};
const role = (name: string, properties: Record<string, unknown> = {}) =>
  resource(
    name,
    'AWS::IAM::Role',
    name,
    { AssumeRolePolicyDocument: trust, ...properties },
    { Arn: `arn:aws:iam::${ACCOUNT}:role/${name}`, RoleId: 'AROAEXAMPLEEXAMPLE123' },
  );
const allowAll = { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: '*', Resource: '*' } };

describe('user pools', () => {
  test("Cognito's defaults apply to what the template leaves out", () => {
    const m = model(resource('Pool', 'AWS::Cognito::UserPool', 'us-east-1_abcdefghi', {}, { Arn: 'arn' }));
    expect(m.userPools.get('us-east-1_abcdefghi')).toMatchObject({
      passwordPolicy: {
        minimumLength: 8,
        requireLowercase: true,
        requireUppercase: true,
        requireNumbers: true,
        requireSymbols: true,
      },
      selfSignUpEnabled: true,
      mfaConfiguration: 'OFF',
      deletionProtection: false,
    });
  });

  test('a client with no explicit flows gets the default flows and token lifetimes', () => {
    const m = model(
      resource('Pool', 'AWS::Cognito::UserPool', 'us-east-1_abcdefghi', {}, { Arn: 'arn' }),
      resource('Client', 'AWS::Cognito::UserPoolClient', 'client', {
        UserPoolId: 'us-east-1_abcdefghi',
        AccessTokenValidity: 2,
      }),
    );
    expect(m.userPools.get('us-east-1_abcdefghi')?.clients.get('client')).toMatchObject({
      explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      accessTokenValiditySeconds: 2 * 3600,
      idTokenValiditySeconds: 3600,
      refreshTokenValiditySeconds: 30 * 86400,
      preventUserExistenceErrors: false,
    });
  });

  test('a group on a pool no stack creates is an error', () => {
    expect(() =>
      model(resource('G', 'AWS::Cognito::UserPoolGroup', 'admins', { UserPoolId: 'us-east-1_nope' })),
    ).toThrow(/S\/G \(AWS::Cognito::UserPoolGroup\): user pool us-east-1_nope is not created by any stack/);
  });

  test('an invalid MFA setting is an error', () => {
    expect(() =>
      model(resource('Pool', 'AWS::Cognito::UserPool', 'p', { MfaConfiguration: 'SOMETIMES' }, { Arn: 'a' })),
    ).toThrow(/expected one of OFF, ON, OPTIONAL, got "SOMETIMES"/);
  });
});

describe('roles and policies', () => {
  test('a policy attached to a role no stack creates is an error', () => {
    expect(() =>
      model(resource('P', 'AWS::IAM::Policy', 'p', { PolicyDocument: allowAll, Roles: ['Ghost'] })),
    ).toThrow(/attached to role Ghost, which no stack creates/);
  });

  test('a malformed policy document is refused at deploy time', () => {
    expect(() =>
      model(
        role('R', {
          Policies: [{ PolicyName: 'x', PolicyDocument: { Statement: [{ Effect: 'Maybe', Action: '*' }] } }],
        }),
      ),
    ).toThrow(/S\/R \(AWS::IAM::Role\) Policies\[0\]: malformed policy document/);
  });

  test('an unknown condition operator is refused at deploy time, as IAM does', () => {
    const document = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringKindOf: { 'aws:username': 'x' } } },
      ],
    };
    expect(() =>
      model(role('R'), resource('P', 'AWS::IAM::Policy', 'p', { PolicyDocument: document, Roles: ['R'] })),
    ).toThrow(/unknown condition operator StringKindOf/);
  });

  test('managed policies attach through the role or through the policy', () => {
    const managedArn = `arn:aws:iam::${ACCOUNT}:policy/Managed`;
    const m = model(
      role('ByRole', { ManagedPolicyArns: [managedArn] }),
      role('ByPolicy'),
      resource('M', 'AWS::IAM::ManagedPolicy', managedArn, { PolicyDocument: allowAll, Roles: ['ByPolicy'] }),
    );
    expect(m.roles.get(`arn:aws:iam::${ACCOUNT}:role/ByRole`)?.policies).toEqual([allowAll]);
    expect(m.roles.get(`arn:aws:iam::${ACCOUNT}:role/ByPolicy`)?.policies).toEqual([allowAll]);
  });
});

describe('distributions', () => {
  const bucket = resource('Bucket', 'AWS::S3::Bucket', 'b', {}, { Arn: 'arn:aws:s3:::b' });
  const distribution = (behavior: Record<string, unknown>, origin: Record<string, unknown> = {}) =>
    resource(
      'Dist',
      'AWS::CloudFront::Distribution',
      'E1234567890ABC',
      {
        DistributionConfig: {
          Origins: [
            {
              Id: 'o',
              DomainName: 'b.s3.us-east-1.amazonaws.com',
              S3OriginConfig: { OriginAccessIdentity: '' },
              ...origin,
            },
          ],
          DefaultCacheBehavior: {
            TargetOriginId: 'o',
            ViewerProtocolPolicy: 'redirect-to-https',
            ...behavior,
          },
        },
      },
      { DomainName: 'd1234567890abc.cloudfront.net' },
    );

  test('the managed SecurityHeadersPolicy becomes its concrete headers', () => {
    const m = model(
      bucket,
      distribution({ ResponseHeadersPolicyId: '67f7725c-6f97-4210-82d7-5512b31e9d03' }),
    );
    expect(m.distributions.get('E1234567890ABC')?.defaultBehavior.responseHeaders).toEqual({
      'Referrer-Policy': 'strict-origin-when-cross-origin',
      'Strict-Transport-Security': 'max-age=31536000',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'SAMEORIGIN',
      'X-XSS-Protection': '1; mode=block',
    });
  });

  test('no response headers policy means no extra headers; defaults for methods and origin path', () => {
    const d = model(bucket, distribution({})).distributions.get('E1234567890ABC');
    expect(d?.defaultBehavior).toMatchObject({ responseHeaders: {}, allowedMethods: ['GET', 'HEAD'] });
    expect(d?.origins.get('o')).toEqual({
      id: 'o',
      bucketName: 'b',
      originPath: '',
      originAccessControl: false,
    });
  });

  test('an unknown response headers policy or cache policy is an error', () => {
    expect(() => model(bucket, distribution({ ResponseHeadersPolicyId: 'not-a-policy' }))).toThrow(
      /response headers policy not-a-policy/,
    );
    expect(() => model(bucket, distribution({ CachePolicyId: 'not-a-policy' }))).toThrow(
      /unknown cache policy not-a-policy/,
    );
    expect(
      model(bucket, distribution({ CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad' })).distributions
        .size,
    ).toBe(1);
  });

  test("a custom cache policy's TTLs and cache key come from the template", () => {
    const policy = resource('Policy', 'AWS::CloudFront::CachePolicy', 'cp-1', {
      CachePolicyConfig: {
        Name: 'Renditions',
        MinTTL: '5',
        DefaultTTL: 60,
        MaxTTL: 600,
        ParametersInCacheKeyAndForwardedToOrigin: {
          HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['X-Variant'] },
          CookiesConfig: { CookieBehavior: 'none' },
          QueryStringsConfig: { QueryStringBehavior: 'allExcept', QueryStrings: ['utm'] },
        },
      },
    });
    const d = model(bucket, policy, distribution({ CachePolicyId: 'cp-1' })).distributions.get(
      'E1234567890ABC',
    );
    expect(d?.defaultBehavior.cachePolicy).toEqual({
      name: 'Renditions',
      minTtl: 5,
      defaultTtl: 60,
      maxTtl: 600,
      headers: { behavior: 'whitelist', names: ['x-variant'] },
      cookies: { behavior: 'none' },
      queryStrings: { behavior: 'allExcept', names: ['utm'] },
    });
  });

  test('a behaviour without a cache policy keeps its legacy TTLs and forwarded values', () => {
    const d = model(
      bucket,
      distribution({
        MinTTL: 0,
        DefaultTTL: 30,
        ForwardedValues: { QueryString: true, Cookies: { Forward: 'none' } },
      }),
    ).distributions.get('E1234567890ABC');
    expect(d?.defaultBehavior.cachePolicy).toMatchObject({
      minTtl: 0,
      defaultTtl: 30,
      maxTtl: 31_536_000,
      queryStrings: { behavior: 'all' },
      cookies: { behavior: 'none' },
    });
  });

  test('an origin request policy is listed as not emulated: the sandbox forwards nothing extra to S3', () => {
    const m = model(bucket, distribution({ OriginRequestPolicyId: '88a5eaf4-2fd4-4709-b370-b4c650ea3fcf' }));
    expect(m.unsupported).toContainEqual({
      stack: 'S',
      logicalId: 'Dist',
      type: 'AWS::CloudFront::Distribution DistributionConfig.DefaultCacheBehavior.OriginRequestPolicyId',
    });
  });

  test('a non-S3 origin is refused with the reason', () => {
    expect(() =>
      model(
        bucket,
        distribution({}, { DomainName: 'example.org', S3OriginConfig: undefined, CustomOriginConfig: {} }),
      ),
    ).toThrow(/origin o \(example.org\) is not an S3 bucket/);
  });
});

describe('functions', () => {
  const fnArn = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:fn`;
  const fn = (properties: Record<string, unknown> = {}) =>
    resource(
      'Fn',
      'AWS::Lambda::Function',
      'fn',
      {
        Role: `arn:aws:iam::${ACCOUNT}:role/R`,
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Code: { S3Bucket: 'assets', S3Key: 'abc.zip' },
        ...properties,
      },
      { Arn: fnArn },
    );

  test("Lambda's defaults apply; code the assembly does not hold makes the function not runnable", () => {
    const m = model(role('R'), fn());
    expect(m.functions.get('fn')).toMatchObject({
      arn: fnArn,
      timeoutSeconds: 3,
      memoryMb: 128,
      environment: {},
      asyncInvoke: { maximumRetryAttempts: 2 },
      code: { kind: 'not-runnable', reason: 'its code is not an asset of the cloud assembly' },
    });
  });

  test('a function a custom resource names as its ServiceToken is listed as not runnable', () => {
    const custom: DeployedResource = {
      ...resource('Custom', 'Custom::Thing', 'custom', {}),
      supported: false,
      serviceTokenFunction: 'Fn',
    };
    const m = model(role('R'), fn({ Code: { ZipFile: 'exports.handler = () => 1' } }), custom);
    expect(m.functions.get('fn')!.code).toEqual({ kind: 'not-runnable', reason: 'custom resource provider' });
    expect(m.unsupported).toContainEqual({
      stack: 'S',
      logicalId: 'Fn',
      type: 'AWS::Lambda::Function (not runnable: custom resource provider)',
    });
  });

  test('each AWS::Lambda::Permission becomes a statement of the resource policy, with its conditions', () => {
    const permission = (logicalId: string, properties: Record<string, unknown>) =>
      resource(logicalId, 'AWS::Lambda::Permission', logicalId, {
        Action: 'lambda:InvokeFunction',
        FunctionName: fnArn,
        ...properties,
      });
    const m = model(
      role('R'),
      fn(),
      permission('FromBucket', {
        Principal: 's3.amazonaws.com',
        SourceArn: 'arn:aws:s3:::b',
        SourceAccount: ACCOUNT,
      }),
      permission('FromAccount', { FunctionName: 'fn', Principal: ACCOUNT }),
    );
    expect(m.functions.get('fn')!.resourcePolicy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'FromBucket',
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
          Action: 'lambda:InvokeFunction',
          Resource: fnArn,
          Condition: {
            ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::b' },
            StringEquals: { 'aws:SourceAccount': ACCOUNT },
          },
        },
        {
          Sid: 'FromAccount',
          Effect: 'Allow',
          Principal: { AWS: ACCOUNT },
          Action: 'lambda:InvokeFunction',
          Resource: fnArn,
        },
      ],
    });
  });

  test('an event invoke config sets the retries and the on-failure destination; out of range is refused', () => {
    const config = (retries: number) =>
      resource('Config', 'AWS::Lambda::EventInvokeConfig', 'config', {
        FunctionName: 'fn',
        Qualifier: '$LATEST',
        MaximumRetryAttempts: retries,
        DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:0:q' } },
      });
    expect(model(role('R'), fn(), config(0)).functions.get('fn')!.asyncInvoke).toEqual({
      maximumRetryAttempts: 0,
      onFailure: 'arn:aws:sqs:us-east-1:0:q',
    });
    expect(() => model(role('R'), fn(), config(3))).toThrow(/MaximumRetryAttempts must be 0, 1 or 2, got 3/);
    const orphan = resource('Config', 'AWS::Lambda::EventInvokeConfig', 'config', { FunctionName: 'other' });
    expect(() => model(role('R'), fn(), orphan)).toThrow(/function other is not created by any stack/);
  });
});

test('properties whose behaviour the sandbox does not reproduce are listed, not dropped', () => {
  const m = model(
    resource(
      'Bucket',
      'AWS::S3::Bucket',
      'b',
      { LifecycleConfiguration: { Rules: [] }, WebsiteConfiguration: {} },
      { Arn: 'a' },
    ),
    resource(
      'Pool',
      'AWS::Cognito::UserPool',
      'p',
      { LambdaConfig: { PreSignUp: 'arn:aws:lambda:x' } },
      { Arn: 'a' },
    ),
  );
  expect(m.unsupported).toEqual([
    { stack: 'S', logicalId: 'Bucket', type: 'AWS::S3::Bucket LifecycleConfiguration' },
    { stack: 'S', logicalId: 'Pool', type: 'AWS::Cognito::UserPool LambdaConfig' },
  ]);
});

test('outputs left out for a service the sandbox lacks are listed with what it does not emulate', () => {
  const stack: DeployedStack = {
    stackName: 'S',
    resources: [],
    outputs: {},
    skippedOutputs: [
      { key: 'GraphQlUrl', reason: 'S: output GraphQlUrl: Fn::GetAtt Api.GraphQLUrl needs ...' },
    ],
  };
  expect(buildModel([stack], ACCOUNT, 'us-east-1', NO_ASSETS).unsupported).toEqual([
    { stack: 'S', logicalId: 'GraphQlUrl', type: 'output of a service not emulated' },
  ]);
});

describe('condition keys', () => {
  test('object tag conditions the sandbox does not compute are listed rather than evaluated as absent; the request tag keys it computes are not', () => {
    const tagged = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: '*',
          Condition: { StringEquals: { 's3:ExistingObjectTag/processed': 'true' } },
        },
        {
          Effect: 'Deny',
          Action: 's3:PutObject',
          Resource: '*',
          Condition: { 'ForAnyValue:StringLike': { 's3:RequestObjectTagKeys': '*' } },
        },
        {
          Effect: 'Allow',
          Action: 's3:PutObject',
          Resource: '*',
          Condition: { StringEquals: { 's3:x-amz-storage-class': 'STANDARD', 's3:prefix': 'a/' } },
        },
      ],
    };
    const m = model(role('Tagged', { Policies: [{ PolicyName: 'p', PolicyDocument: tagged }] }));
    expect(m.unsupported.map((u) => u.type).sort()).toEqual([
      'AWS::IAM::Role condition key s3:ExistingObjectTag/processed',
    ]);
  });
});
