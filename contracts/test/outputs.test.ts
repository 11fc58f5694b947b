import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CdkOutputs, findOutputs, OutputsError, toAmplifyOutputs } from '../src/outputs';
import { readCdkOutputs } from '../src/outputs-file';
import { toAmplifyPaths } from '../src/storage';

const EXAMPLE = join(__dirname, '..', '..', 'outputs.json.example');

const VALID: CdkOutputs = {
  'ImageShare-Auth': {
    Region: 'eu-west-1',
    UserPoolId: 'eu-west-1_Ab12Cd34E',
    UserPoolClientId: '4l3k2j1h0g9f8e7d6c5b4a3z2y',
  },
  'ImageShare-Identity': { IdentityPoolId: 'eu-west-1:0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9' },
  'ImageShare-Storage': {
    BucketName: 'imageshare-storage-uploadsbucket-1a2b3c',
    PublicBaseUrl: 'https://d1a2b3c4d5e6f7.cloudfront.net',
  },
};

const withValue = (stack: string, key: string, value: string): CdkOutputs => ({
  ...VALID,
  [stack]: { ...VALID[stack], [key]: value },
});

/** The OutputsError that `run` throws. */
function thrown(run: () => unknown): OutputsError {
  try {
    run();
  } catch (error) {
    if (error instanceof OutputsError) return error;
    throw error;
  }
  throw new Error('expected an OutputsError, nothing was thrown');
}

describe('readCdkOutputs', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'outputs-test-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('reads the example outputs file', () => {
    expect(Object.keys(readCdkOutputs(EXAMPLE))).toEqual([
      'ImageShare-Auth',
      'ImageShare-Identity',
      'ImageShare-Storage',
    ]);
  });

  test('a missing file names the deploy command', () => {
    expect(() => readCdkOutputs(join(dir, 'missing.json'))).toThrow(
      /missing\.json not found\. Deploy with `pnpm cdk deploy --all --outputs-file \.\/outputs\.json`/,
    );
  });

  test('a file that is not JSON says so', () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{ "ImageShare-Auth": ');
    expect(() => readCdkOutputs(path)).toThrow(/broken\.json is not valid JSON/);
  });

  test('JSON of another shape says which shape is expected', () => {
    const path = join(dir, 'shape.json');
    writeFileSync(path, JSON.stringify({ 'ImageShare-Auth': { Region: 42 } }));
    expect(() => readCdkOutputs(path)).toThrow(/does not have the shape `cdk deploy --outputs-file` writes/);
  });

  test('errors are OutputsErrors', () => {
    expect(() => readCdkOutputs(join(dir, 'missing.json'))).toThrow(OutputsError);
  });
});

describe('findOutputs', () => {
  test('finds every key whatever the stack names are', () => {
    const renamed: CdkOutputs = {
      'Photos-Auth': VALID['ImageShare-Auth'] as Record<string, string>,
      'Photos-Identity': VALID['ImageShare-Identity'] as Record<string, string>,
      'Photos-Storage': VALID['ImageShare-Storage'] as Record<string, string>,
    };
    expect(findOutputs(renamed)).toEqual({
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_Ab12Cd34E',
      userPoolClientId: '4l3k2j1h0g9f8e7d6c5b4a3z2y',
      identityPoolId: 'eu-west-1:0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9',
      bucketName: 'imageshare-storage-uploadsbucket-1a2b3c',
      publicBaseUrl: 'https://d1a2b3c4d5e6f7.cloudfront.net',
    });
  });

  test('lists every missing key and the command that writes them', () => {
    const { ['ImageShare-Storage']: _storage, ...withoutStorage } = VALID;
    expect(() => findOutputs({ ...withoutStorage, 'ImageShare-Identity': {} })).toThrow(
      'The outputs file is missing IdentityPoolId, BucketName, PublicBaseUrl. Deploy every stack with `pnpm cdk deploy --all --outputs-file ./outputs.json` to write them.',
    );
  });

  test.each([
    ['ImageShare-Auth', 'Region', 'Europe', /Region "Europe" is not an AWS region/],
    [
      'ImageShare-Auth',
      'UserPoolId',
      'us-east-1_Ab12Cd34E',
      /UserPoolId .* is not a user pool id of eu-west-1/,
    ],
    ['ImageShare-Auth', 'UserPoolClientId', 'not a client id', /UserPoolClientId .* is not an app client id/],
    [
      'ImageShare-Identity',
      'IdentityPoolId',
      'eu-west-1:not-a-uuid',
      /IdentityPoolId .* is not an identity pool id/,
    ],
    [
      'ImageShare-Storage',
      'BucketName',
      'Bad_Bucket',
      /BucketName "Bad_Bucket" is not a valid S3 bucket name/,
    ],
    [
      'ImageShare-Storage',
      'PublicBaseUrl',
      'http://d1.cloudfront.net',
      /PublicBaseUrl .* is not an https URL/,
    ],
    [
      'ImageShare-Storage',
      'PublicBaseUrl',
      'https://d1.cloudfront.net/?x=1',
      /PublicBaseUrl .* is not an https URL/,
    ],
  ])('rejects a malformed %s.%s (%s)', (stack, key, value, message) => {
    expect(() => findOutputs(withValue(stack, key, value))).toThrow(message);
  });

  test('names every malformed value at once', () => {
    const broken: CdkOutputs = {
      ...withValue('ImageShare-Storage', 'BucketName', 'Bad_Bucket'),
      'ImageShare-Auth': { ...VALID['ImageShare-Auth'], UserPoolClientId: 'bad id' },
    };
    expect(() => findOutputs(broken)).toThrow(/UserPoolClientId[\s\S]*BucketName/);
  });

  test('carries each finding as its own entry, for a caller that lists them', () => {
    const broken: CdkOutputs = {
      ...withValue('ImageShare-Storage', 'BucketName', 'Bad_Bucket'),
      'ImageShare-Auth': { ...VALID['ImageShare-Auth'], UserPoolClientId: 'bad id' },
    };
    const error = thrown(() => findOutputs(broken));
    expect(error.summary).toBe('The outputs file has malformed values:');
    expect(error.problems).toEqual([
      'UserPoolClientId "bad id" is not an app client id',
      'BucketName "Bad_Bucket" is not a valid S3 bucket name',
    ]);
    expect(error.message).toBe(
      [error.summary, ...error.problems.map((problem) => `  - ${problem}`)].join('\n'),
    );
  });

  test('carries each missing key as its own entry', () => {
    const error = thrown(() => findOutputs({ 'ImageShare-Auth': VALID['ImageShare-Auth'] ?? {} }));
    expect(error.problems).toEqual([
      'IdentityPoolId is missing',
      'BucketName is missing',
      'PublicBaseUrl is missing',
    ]);
  });

  test('rejects a key with different values in two stacks', () => {
    const twice = { ...VALID, Other: { Region: 'us-east-1' } };
    expect(() => findOutputs(twice)).toThrow(/Region has different values in ImageShare-Auth and Other/);
  });

  test('accepts a loopback http base URL (the sandbox) and drops a trailing slash', () => {
    const outputs = findOutputs(
      withValue('ImageShare-Storage', 'PublicBaseUrl', 'http://127.0.0.1:4566/cdn/'),
    );
    expect(outputs.publicBaseUrl).toBe('http://127.0.0.1:4566/cdn');
  });

  test('reads the data API endpoint when the outputs name one', () => {
    const url = 'https://abc.appsync-api.eu-west-1.amazonaws.com/graphql';
    expect(findOutputs(withValue('ImageShare-Storage', 'GraphQlUrl', url)).graphQlUrl).toBe(url);
  });

  test('has no data API endpoint when the outputs name none', () => {
    expect(findOutputs(VALID)).not.toHaveProperty('graphQlUrl');
  });

  test.each([
    'http://abc.appsync-api.eu-west-1.amazonaws.com/graphql',
    'https://abc.appsync-api.eu-west-1.amazonaws.com/graphql?x=1',
    'javascript:alert(1)',
    'graphql',
  ])('rejects a GraphQlUrl that is not https or loopback (%s)', (url) => {
    expect(() => findOutputs(withValue('ImageShare-Storage', 'GraphQlUrl', url))).toThrow(
      /GraphQlUrl .* is not an https URL/,
    );
  });

  test('reads the Sandbox entry into sandbox endpoints', () => {
    const outputs = findOutputs({
      ...VALID,
      Sandbox: { Endpoint: 'http://127.0.0.1:4566', MailboxUrl: 'http://127.0.0.1:4566/_sandbox/mailbox' },
    });
    expect(outputs.sandbox).toEqual({
      endpoint: 'http://127.0.0.1:4566',
      mailboxUrl: 'http://127.0.0.1:4566/_sandbox/mailbox',
    });
  });

  test('rejects a Sandbox entry without its keys', () => {
    expect(() => findOutputs({ ...VALID, Sandbox: { Endpoint: 'http://127.0.0.1:4566' } })).toThrow(
      /Sandbox\.MailboxUrl is missing/,
    );
  });

  test('rejects a Sandbox endpoint that is not a URL', () => {
    expect(() =>
      findOutputs({ ...VALID, Sandbox: { Endpoint: 'localhost', MailboxUrl: 'http://localhost:1/m' } }),
    ).toThrow(/Sandbox\.Endpoint "localhost" is not an http\(s\) URL/);
  });
});

describe('toAmplifyOutputs', () => {
  const amplify = toAmplifyOutputs(findOutputs(VALID));

  test('is Amplify Gen 2 outputs version 1.4', () => {
    expect(amplify.version).toBe('1.4');
  });

  test('auth carries the pools and the sign-in rules', () => {
    expect(amplify.auth).toEqual({
      aws_region: 'eu-west-1',
      user_pool_id: 'eu-west-1_Ab12Cd34E',
      user_pool_client_id: '4l3k2j1h0g9f8e7d6c5b4a3z2y',
      identity_pool_id: 'eu-west-1:0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9',
      username_attributes: ['email'],
      standard_required_attributes: ['email'],
      user_verification_types: ['email'],
      unauthenticated_identities_enabled: true,
      mfa_configuration: 'OPTIONAL',
      mfa_methods: ['TOTP'],
      password_policy: {
        min_length: 12,
        require_lowercase: true,
        require_numbers: true,
        require_symbols: true,
        require_uppercase: true,
      },
      groups: [{ admins: { precedence: 0 } }],
    });
  });

  test('storage names the bucket and takes its paths from the access rules', () => {
    expect(amplify.storage).toEqual({
      aws_region: 'eu-west-1',
      bucket_name: 'imageshare-storage-uploadsbucket-1a2b3c',
      buckets: [
        {
          name: 'uploads',
          bucket_name: 'imageshare-storage-uploadsbucket-1a2b3c',
          aws_region: 'eu-west-1',
          // The exact path table is pinned in test/storage.test.ts.
          paths: toAmplifyPaths(),
        },
      ],
    });
  });

  test('custom carries PublicBaseUrl and no sandbox block for a real deployment', () => {
    expect(amplify.custom).toEqual({ PublicBaseUrl: 'https://d1a2b3c4d5e6f7.cloudfront.net' });
  });

  test('custom carries the sandbox endpoints when the sandbox wrote the file', () => {
    const sandboxed = toAmplifyOutputs(
      findOutputs({
        ...VALID,
        Sandbox: { Endpoint: 'http://127.0.0.1:4566', MailboxUrl: 'http://127.0.0.1:4566/mail' },
      }),
    );
    expect(sandboxed.custom.sandbox).toEqual({
      endpoint: 'http://127.0.0.1:4566',
      mailboxUrl: 'http://127.0.0.1:4566/mail',
    });
  });

  test('has no data section when the outputs name no data API', () => {
    expect(amplify).not.toHaveProperty('data');
  });

  test('data points Amplify at the API with IAM as its only authorization', () => {
    const withApi = toAmplifyOutputs(
      findOutputs(withValue('ImageShare-Storage', 'GraphQlUrl', 'http://127.0.0.1:4510/_appsync/graphql')),
    );
    expect(withApi.data).toEqual({
      url: 'http://127.0.0.1:4510/_appsync/graphql',
      aws_region: 'eu-west-1',
      default_authorization_type: 'AWS_IAM',
      authorization_types: [],
    });
  });

  test('the example outputs file converts, its CDK export outputs ignored', () => {
    const example = toAmplifyOutputs(findOutputs(readCdkOutputs(EXAMPLE)));
    expect(example.auth.user_pool_id).toBe('eu-west-1_Ab12Cd34E');
    expect(example.storage.bucket_name).toBe('imageshare-storage-uploadsbucketc4b27cc7-1a2b3c4d5e6f');
    expect(example.data?.url).toBe(
      'https://abcdefghijklmnopqrstuvwxyz.appsync-api.eu-west-1.amazonaws.com/graphql',
    );
  });
});
