import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { deployCloudAssembly, DeployError, SANDBOX_ACCOUNT_ID } from '../../src/deploy';
import type { DeployedModel } from '../../src/deploy/model';

const FIXTURE = join(__dirname, '..', 'fixtures', 'cdk-out');

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'sandbox-deploy-'));
}

async function deploy(stateDir?: string, region?: string): Promise<DeployedModel> {
  return deployCloudAssembly({ cdkOutDir: FIXTURE, stateDir: stateDir ?? (await tempDir()), region });
}

function only<T>(map: ReadonlyMap<string, T>): T {
  expect(map.size).toBe(1);
  return [...map.values()][0]!;
}

describe('the fixture assembly', () => {
  let model: DeployedModel;
  beforeAll(async () => {
    model = await deploy();
  });

  test('uses the sandbox account and the default region', () => {
    expect(model.accountId).toBe(SANDBOX_ACCOUNT_ID);
    expect(model.region).toBe('us-east-1');
  });

  test('creates the user pool with its password policy and sign-up settings', () => {
    const pool = only(model.userPools);
    expect(pool.id).toMatch(/^us-east-1_[A-Za-z0-9]{9}$/);
    expect(pool.arn).toBe(`arn:aws:cognito-idp:us-east-1:${SANDBOX_ACCOUNT_ID}:userpool/${pool.id}`);
    expect(pool.passwordPolicy).toEqual({
      minimumLength: 12,
      requireLowercase: true,
      requireUppercase: true,
      requireNumbers: true,
      requireSymbols: true,
      temporaryPasswordValidityDays: 3,
    });
    expect(pool).toMatchObject({
      usernameAttributes: ['email'],
      autoVerifiedAttributes: ['email'],
      selfSignUpEnabled: true,
      mfaConfiguration: 'OPTIONAL',
      deletionProtection: false,
    });
  });

  test('creates the app client with its flows and token validity in seconds', () => {
    const pool = only(model.userPools);
    const client = only(pool.clients);
    expect(client.clientId).toMatch(/^[a-z0-9]{26}$/);
    expect(client).toMatchObject({
      userPoolId: pool.id,
      hasSecret: false,
      explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValiditySeconds: 3600,
      idTokenValiditySeconds: 3600,
      refreshTokenValiditySeconds: 30 * 86400,
      writeAttributes: ['email'],
    });
  });

  test('puts the admins group (from another stack, via Fn::ImportValue) on the pool, with its role', () => {
    const admins = only(model.userPools).groups.get('admins');
    expect(admins).toMatchObject({ name: 'admins', precedence: 0 });
    expect(model.roles.has(admins!.roleArn!)).toBe(true);
  });

  test('creates the identity pool with its provider, roles and token-based role mapping', () => {
    const pool = only(model.identityPools);
    const userPool = only(model.userPools);
    const client = only(userPool.clients);
    const providerName = `cognito-idp.us-east-1.amazonaws.com/${userPool.id}`;
    expect(pool.id).toMatch(/^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(pool).toMatchObject({ allowUnauthenticated: true, allowClassicFlow: false });
    expect(pool.providers).toEqual([
      { providerName, clientId: client.clientId, serverSideTokenCheck: false },
    ]);
    expect(model.roles.has(pool.roles.authenticated!)).toBe(true);
    expect(model.roles.has(pool.roles.unauthenticated!)).toBe(true);
    expect(pool.roleMappings.get(`${providerName}:${client.clientId}`)).toEqual({
      type: 'Token',
      ambiguousRoleResolution: 'AuthenticatedRole',
      rules: undefined,
    });
  });

  test('attaches inline, AWS::IAM::Policy and AWS::IAM::ManagedPolicy documents to the roles they name', () => {
    const pool = only(model.identityPools);
    const admin = only(model.userPools).groups.get('admins')!.roleArn!;
    const actions = (roleArn: string) =>
      model.roles
        .get(roleArn)!
        .policies.flatMap((p) => (Array.isArray(p.Statement) ? p.Statement : [p.Statement]))
        .flatMap((s) => s.Action);
    expect(actions(pool.roles.unauthenticated!)).toEqual(['s3:GetObject', 's3:ListBucket']);
    expect(model.roles.get(pool.roles.authenticated!)!.policies).toHaveLength(2);
    expect(model.roles.get(admin)!.policies).toHaveLength(2);
    const role = model.roles.get(pool.roles.authenticated!)!;
    expect(role.arn).toBe(`arn:aws:iam::${SANDBOX_ACCOUNT_ID}:role/${role.name}`);
    expect(role.name).toMatch(/^ImageShare-Identity-IdentityPoolAuthenticatedRole.*-[A-Z0-9]{12}$/);
    expect(role.name.length).toBeLessThanOrEqual(64);
  });

  test('keeps policy variables and resolves Fn::Sub ${!Literal} to ${Literal}', () => {
    const pool = only(model.identityPools);
    const bucket = only(model.buckets);
    const resources = model.roles
      .get(pool.roles.authenticated!)!
      .policies.flatMap((p) => (Array.isArray(p.Statement) ? p.Statement : [p.Statement]))
      .flatMap((s) => s.Resource ?? []);
    expect(resources).toContain(`${bucket.arn}/protected/\${cognito-identity.amazonaws.com:sub}/*`);
    expect(resources).toContain(`${bucket.arn}/private/\${cognito-identity.amazonaws.com:sub}/*`);
  });

  test('gives the trust policy the identity pool id as the aud condition', () => {
    const pool = only(model.identityPools);
    const trust = model.roles.get(pool.roles.authenticated!)!.assumeRolePolicy;
    const statement = Array.isArray(trust.Statement) ? trust.Statement[0] : trust.Statement;
    expect(statement?.Condition).toEqual({
      StringEquals: { 'cognito-identity.amazonaws.com:aud': pool.id },
      'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
    });
  });

  test('creates the bucket with versioning, CORS and the bucket policy naming the distribution', () => {
    const bucket = only(model.buckets);
    const distribution = only(model.distributions);
    expect(bucket.name).toMatch(/^imageshare-storage-uploadsbucket5f3c4b2a-[a-z0-9]{12}$/);
    expect(bucket).toMatchObject({
      arn: `arn:aws:s3:::${bucket.name}`,
      region: 'us-east-1',
      versioning: true,
    });
    expect(bucket.cors).toEqual([
      {
        allowedOrigins: ['http://localhost:3000'],
        allowedMethods: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'],
        allowedHeaders: ['*'],
        exposedHeaders: [
          'ETag',
          'x-amz-version-id',
          'Content-Length',
          'Content-Type',
          'Last-Modified',
          'Content-Disposition',
        ],
        maxAgeSeconds: 3000,
      },
    ]);
    expect(JSON.stringify(bucket.policy)).toContain(`"AWS:SourceArn":"${distribution.arn}"`);
  });

  test('creates the distribution over the bucket with origin path, OAC and resolved response headers', () => {
    const distribution = only(model.distributions);
    expect(distribution.id).toMatch(/^E[A-Z0-9]{13}$/);
    expect(distribution.domainName).toMatch(/^d[a-z0-9]{13}\.cloudfront\.net$/);
    expect(distribution.arn).toBe(
      `arn:aws:cloudfront::${SANDBOX_ACCOUNT_ID}:distribution/${distribution.id}`,
    );
    const origin = distribution.origins.get(distribution.defaultBehavior.targetOriginId);
    expect(origin).toMatchObject({
      bucketName: only(model.buckets).name,
      originPath: '/public',
      originAccessControl: true,
    });
    expect(distribution.defaultBehavior).toMatchObject({
      allowedMethods: ['GET', 'HEAD'],
      viewerProtocolPolicy: 'redirect-to-https',
    });
    expect(distribution.defaultBehavior.responseHeaders).toEqual({
      'Content-Security-Policy': "default-src 'none'; img-src 'self'; sandbox",
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'strict-origin-when-cross-origin',
      'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
      'X-XSS-Protection': '1; mode=block',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    });
  });

  test('resolves the outputs of every stack, in the shape cdk deploy --outputs-file writes', () => {
    const userPool = only(model.userPools);
    expect(model.outputs['ImageShare-Auth']).toMatchObject({
      Region: 'us-east-1',
      UserPoolId: userPool.id,
      UserPoolClientId: only(userPool.clients).clientId,
    });
    expect(model.outputs['ImageShare-Identity']).toMatchObject({
      IdentityPoolId: only(model.identityPools).id,
    });
    expect(model.outputs['ImageShare-Storage']).toEqual({
      BucketName: only(model.buckets).name,
      PublicBaseUrl: `https://${only(model.distributions).domainName}`,
      UserPoolRegionPart: 'us-east-1', // Fn::Select + Fn::Split over an imported value
      RegionShortName: 'use1', // Fn::FindInMap with Ref AWS::Region
      LiteralSub: '${Literal}-us-east-1', // Fn::Sub with ${!Literal} and a pseudo parameter
    });
  });

  test('leaves out outputs whose condition is false', () => {
    expect(model.outputs['ImageShare-Identity']).not.toHaveProperty('ProdOnly');
  });

  test('lists what it does not emulate, and ignores CDK metadata silently', () => {
    expect(model.unsupported).toEqual(
      expect.arrayContaining([
        {
          stack: 'ImageShare-Storage',
          logicalId: 'UploadsBucketAutoDeleteObjectsCustomResource',
          type: 'Custom::S3AutoDeleteObjects',
        },
        {
          stack: 'ImageShare-Storage',
          logicalId: 'CustomS3AutoDeleteObjectsCustomResourceProviderHandler9D90184F',
          // Deployed (its ARN resolves) but never run: it only serves CloudFormation.
          type: 'AWS::Lambda::Function (not runnable: custom resource provider)',
        },
        // A property of an emulated type whose behaviour the sandbox does not reproduce.
        {
          stack: 'ImageShare-Storage',
          logicalId: 'UploadsBucket5F3C4B2A',
          type: 'AWS::S3::Bucket LifecycleConfiguration',
        },
        {
          stack: 'ImageShare-Storage',
          logicalId: 'CustomS3AutoDeleteObjectsCustomResourceProviderRole3B1BD092',
          type: 'managed policy arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
        },
      ]),
    );
    expect(model.unsupported).toHaveLength(3 + 1);
  });
});

describe('physical ids', () => {
  const ids = (m: DeployedModel) => ({
    userPool: only(m.userPools).id,
    client: only(only(m.userPools).clients).clientId,
    identityPool: only(m.identityPools).id,
    bucket: only(m.buckets).name,
    roles: [...m.roles.keys()].sort(),
    distribution: only(m.distributions).id,
    domain: only(m.distributions).domainName,
  });

  test('stay the same across redeploys with the same state folder, in <state>/deploy/physical-ids.json', async () => {
    const stateDir = await tempDir();
    const first = ids(await deploy(stateDir));
    expect(ids(await deploy(stateDir))).toEqual(first);
    const state = JSON.parse(await readFile(join(stateDir, 'deploy', 'physical-ids.json'), 'utf8'));
    expect(state.ids['ImageShare-Auth/UserPool6BA7E5F2']).toEqual({
      type: 'AWS::Cognito::UserPool',
      values: { id: first.userPool },
    });
    expect(state.ids['ImageShare-Storage/PublicDistribution1F5C9A3B'].values).toEqual({
      id: first.distribution,
      domainName: first.domain,
    });
  });

  test('are new for a fresh state folder', async () => {
    const a = ids(await deploy());
    const b = ids(await deploy());
    expect(b.userPool).not.toBe(a.userPool);
    expect(b.identityPool).not.toBe(a.identityPool);
    expect(b.bucket).not.toBe(a.bucket);
    expect(b.distribution).not.toBe(a.distribution);
  });

  test('follow the region parameter', async () => {
    const m = await deploy(undefined, 'eu-west-1');
    expect(only(m.userPools).id).toMatch(/^eu-west-1_/);
    expect(only(m.identityPools).id).toMatch(/^eu-west-1:/);
    expect(m.outputs['ImageShare-Storage']?.RegionShortName).toBe('euw1');
    expect(only(m.identityPools).providers[0]?.providerName).toMatch(
      /^cognito-idp\.eu-west-1\.amazonaws\.com\/eu-west-1_/,
    );
  });

  test('a corrupt state file is a clear error', async () => {
    const stateDir = await tempDir();
    await deploy(stateDir);
    await writeFile(join(stateDir, 'deploy', 'physical-ids.json'), '{"version": 2}');
    await expect(deploy(stateDir)).rejects.toThrow(/physical-ids.json is corrupt/);
  });
});

describe('the cloud assembly', () => {
  interface Manifest {
    artifacts: Record<string, { dependencies?: string[] }>;
  }
  async function copyFixture(edit: (manifest: Manifest) => void): Promise<string> {
    const dir = await tempDir();
    await cp(FIXTURE, dir, { recursive: true });
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    edit(manifest);
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
    return dir;
  }

  test('a missing cdk.out names the command that creates it', async () => {
    await expect(
      deployCloudAssembly({ cdkOutDir: join(await tempDir(), 'cdk.out'), stateDir: await tempDir() }),
    ).rejects.toThrow(/manifest.json.*pnpm cdk synth/);
  });

  test('stacks that depend on each other in a cycle are refused', async () => {
    const dir = await copyFixture((m) =>
      m.artifacts['ImageShare-Auth']!.dependencies!.push('ImageShare-Storage'),
    );
    await expect(deployCloudAssembly({ cdkOutDir: dir, stateDir: await tempDir() })).rejects.toThrow(
      /cycle: .*ImageShare-Storage/,
    );
  });

  test('without the manifest dependencies, an import from a later stack fails and leaves no state behind', async () => {
    const dir = await copyFixture((m) => {
      // Put Storage first and drop its dependencies: its imports are not exported yet.
      const storage = m.artifacts['ImageShare-Storage']!;
      storage.dependencies = [];
      m.artifacts = { 'ImageShare-Storage': storage, ...m.artifacts };
    });
    const stateDir = await tempDir();
    await expect(deployCloudAssembly({ cdkOutDir: dir, stateDir })).rejects.toThrow(DeployError);
    await expect(deployCloudAssembly({ cdkOutDir: dir, stateDir })).rejects.toThrow(
      /no stack deployed before ImageShare-Storage exports/,
    );
    expect(existsSync(join(stateDir, 'deploy', 'physical-ids.json'))).toBe(false);
  });
});
