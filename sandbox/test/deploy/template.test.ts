import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Template } from '../../src/deploy/assembly';
import { PhysicalIdStore } from '../../src/deploy/physical-ids';
import { deployTemplate, type DeployedStack } from '../../src/deploy/template';

let ids: PhysicalIdStore;
beforeEach(async () => {
  ids = await PhysicalIdStore.open(await mkdtemp(join(tmpdir(), 'sandbox-template-')));
});

function run(
  template: Partial<Template>,
  exports = new Map<string, unknown>(),
  stack = 'Test-Stack',
): DeployedStack {
  return deployTemplate(stack, { Resources: {}, ...template } as Template, {
    accountId: '000000000000',
    region: 'eu-central-1',
    ids,
    exports,
  });
}

/** Deploys a template whose only output is `value`, and returns that output. */
function output(
  value: unknown,
  template: Partial<Template> = {},
  exports?: Map<string, unknown>,
): string | undefined {
  return run({ ...template, Outputs: { Out: { Value: value } } }, exports).outputs.Out;
}

const bucket = { Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'my-bucket' } } };

describe('pseudo parameters', () => {
  test.each([
    ['AWS::AccountId', '000000000000'],
    ['AWS::Region', 'eu-central-1'],
    ['AWS::Partition', 'aws'],
    ['AWS::URLSuffix', 'amazonaws.com'],
    ['AWS::StackName', 'Test-Stack'],
  ])('Ref %s -> %s', (name, expected) => {
    expect(output({ Ref: name })).toBe(expected);
  });

  test('the partition and URL suffix follow the region', () => {
    const china = deployTemplate(
      'Cn',
      {
        Resources: bucket,
        Outputs: {
          Out: {
            Value: {
              'Fn::Join': [
                ' ',
                [{ Ref: 'AWS::Partition' }, { Ref: 'AWS::URLSuffix' }, { 'Fn::GetAtt': ['Bucket', 'Arn'] }],
              ],
            },
          },
        },
      } as Template,
      { accountId: '000000000000', region: 'cn-north-1', ids, exports: new Map() },
    );
    expect(china.outputs.Out).toBe('aws-cn amazonaws.com.cn arn:aws-cn:s3:::my-bucket');
  });

  test('AWS::StackId is a stack ARN, stable for the stack', () => {
    const first = output({ Ref: 'AWS::StackId' });
    expect(first).toMatch(
      /^arn:aws:cloudformation:eu-central-1:000000000000:stack\/Test-Stack\/[0-9a-f-]{36}$/,
    );
    expect(output({ Ref: 'AWS::StackId' })).toBe(first);
  });

  test('AWS::NoValue removes a property or a list element', () => {
    const stack = run({
      Resources: {
        Bucket: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            BucketName: 'b',
            VersioningConfiguration: { Ref: 'AWS::NoValue' },
            Tags: [{ Key: 'a', Value: '1' }, { Ref: 'AWS::NoValue' }],
          },
        },
      },
    });
    expect(stack.resources[0]?.properties).toEqual({ BucketName: 'b', Tags: [{ Key: 'a', Value: '1' }] });
  });
});

describe('intrinsic functions', () => {
  test('Ref and Fn::GetAtt in both forms', () => {
    expect(output({ Ref: 'Bucket' }, { Resources: bucket })).toBe('my-bucket');
    expect(output({ 'Fn::GetAtt': ['Bucket', 'Arn'] }, { Resources: bucket })).toBe('arn:aws:s3:::my-bucket');
    expect(output({ 'Fn::GetAtt': 'Bucket.RegionalDomainName' }, { Resources: bucket })).toBe(
      'my-bucket.s3.eu-central-1.amazonaws.com',
    );
  });

  test('Fn::Join over literals and references', () => {
    expect(
      output(
        { 'Fn::Join': ['/', ['a', { Ref: 'Bucket' }, { 'Fn::GetAtt': ['Bucket', 'Arn'] }]] },
        { Resources: bucket },
      ),
    ).toBe('a/my-bucket/arn:aws:s3:::my-bucket');
  });

  test('Fn::Sub string form: references, attributes, pseudo parameters and ${!Literal}', () => {
    expect(
      output(
        { 'Fn::Sub': '${Bucket}|${Bucket.Arn}|${AWS::Region}|${!Literal}|${!aws:username}' },
        { Resources: bucket },
      ),
    ).toBe('my-bucket|arn:aws:s3:::my-bucket|eu-central-1|${Literal}|${aws:username}');
  });

  test('Fn::Sub list form: the variable map wins over resources of the same name', () => {
    expect(
      output(
        { 'Fn::Sub': ['${Bucket}-${Name}', { Bucket: 'mapped', Name: { Ref: 'AWS::StackName' } }] },
        { Resources: bucket },
      ),
    ).toBe('mapped-Test-Stack');
  });

  test('Fn::Select and Fn::Split', () => {
    expect(output({ 'Fn::Select': [1, { 'Fn::Split': [':', 'a:b:c'] }] })).toBe('b');
    expect(output({ 'Fn::Select': ['2', ['x', 'y', 'z']] })).toBe('z');
  });

  test('Fn::Select outside the list is an error', () => {
    expect(() => output({ 'Fn::Select': [3, ['x']] })).toThrow(/index 3 is outside the list of 1/);
  });

  test('Fn::ImportValue reads the exports of earlier stacks', () => {
    expect(output({ 'Fn::ImportValue': 'Shared:Name' }, {}, new Map([['Shared:Name', 'v']]))).toBe('v');
    expect(() => output({ 'Fn::ImportValue': 'Missing' })).toThrow(
      /no stack deployed before Test-Stack exports Missing/,
    );
  });

  test('Fn::If, Conditions and the condition functions', () => {
    const Conditions = {
      IsFrankfurt: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-central-1'] },
      IsProd: { 'Fn::Equals': ['dev', 'prod'] },
      Both: { 'Fn::And': [{ Condition: 'IsFrankfurt' }, { 'Fn::Not': [{ Condition: 'IsProd' }] }] },
      Either: { 'Fn::Or': [{ Condition: 'IsProd' }, { Condition: 'Both' }] },
    };
    expect(output({ 'Fn::If': ['Either', 'yes', 'no'] }, { Conditions })).toBe('yes');
    expect(output({ 'Fn::If': ['IsProd', 'yes', 'no'] }, { Conditions })).toBe('no');
  });

  test('a resource whose condition is false is not created, and referencing it is an error', () => {
    const template = {
      Conditions: { Never: { 'Fn::Equals': ['a', 'b'] } },
      Resources: { Bucket: { ...bucket.Bucket, Condition: 'Never' } },
    };
    expect(run(template).resources).toEqual([]);
    expect(() => output({ Ref: 'Bucket' }, template)).toThrow(/condition Never is false/);
  });

  test('Fn::FindInMap, Fn::GetAZs and Fn::Base64', () => {
    const Mappings = { Sizes: { 'eu-central-1': { Small: 't3.micro' } } };
    expect(output({ 'Fn::FindInMap': ['Sizes', { Ref: 'AWS::Region' }, 'Small'] }, { Mappings })).toBe(
      't3.micro',
    );
    expect(output({ 'Fn::Select': [0, { 'Fn::GetAZs': '' }] })).toBe('eu-central-1a');
    expect(output({ 'Fn::Base64': 'hi' })).toBe('aGk=');
  });

  test('an intrinsic the sandbox does not know is an error, not a silent value', () => {
    expect(() => output({ 'Fn::Transmogrify': 'x' })).toThrow(/Fn::Transmogrify is not supported/);
  });
});

describe('parameters', () => {
  test('take their default values; lists are split', () => {
    const Parameters = {
      Stage: { Type: 'String', Default: 'dev' },
      Origins: { Type: 'CommaDelimitedList', Default: 'a,b' },
    };
    expect(output({ Ref: 'Stage' }, { Parameters })).toBe('dev');
    expect(output({ 'Fn::Join': ['+', { Ref: 'Origins' }] }, { Parameters })).toBe('a+b');
  });

  test('SSM parameters (CDK bootstrap version) are refused only when something reads them', () => {
    const Parameters = {
      BootstrapVersion: {
        Type: 'AWS::SSM::Parameter::Value<String>',
        Default: '/cdk-bootstrap/hnb659fds/version',
      },
    };
    expect(run({ Parameters }).outputs).toEqual({});
    expect(() => output({ Ref: 'BootstrapVersion' }, { Parameters })).toThrow(/SSM Parameter Store/);
  });
});

describe('errors name the stack and the place', () => {
  test('Ref to something that does not exist', () => {
    expect(() => output({ Ref: 'Nope' })).toThrow(
      /^Test-Stack: .*Nope, which is not a resource, parameter or pseudo parameter/,
    );
  });

  test('a circular reference between resources', () => {
    const Resources = {
      A: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { Ref: 'B' } } },
      B: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { Ref: 'A' } } },
    };
    expect(() => run({ Resources })).toThrow(/circular reference: A -> B -> A/);
  });

  test('an attribute of a resource type the sandbox does not emulate, read by an emulated resource', () => {
    const Resources = {
      Stream: { Type: 'AWS::Kinesis::Stream', Properties: {} },
      Policy: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: { PolicyDocument: { Statement: [{ Resource: { 'Fn::GetAtt': ['Stream', 'Arn'] } }] } },
      },
    };
    expect(() => run({ Resources })).toThrow(
      /Test-Stack: .*Fn::GetAtt Stream\.Arn needs AWS::Kinesis::Stream, which the sandbox does not emulate/,
    );
  });

  test('an output that needs a service the sandbox does not emulate is left out and listed', () => {
    const Resources = { Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'q' } } };
    const stack = run({
      Resources,
      Outputs: {
        Url: { Value: { 'Fn::GetAtt': ['Queue', 'QueueUrl'] } },
        Name: { Value: { 'Fn::GetAtt': ['Queue', 'QueueName'] } },
      },
    });
    expect(Object.keys(stack.outputs)).toEqual(['Name']);
    expect(stack.skippedOutputs).toEqual([
      { key: 'Url', reason: expect.stringMatching(/QueueUrl needs AWS::SQS::Queue/) as unknown },
    ]);
  });

  test('an exported output that needs a service the sandbox does not emulate still fails the deploy', () => {
    const Resources = { Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'q' } } };
    expect(() =>
      run({
        Resources,
        Outputs: { Url: { Value: { 'Fn::GetAtt': ['Queue', 'QueueUrl'] }, Export: { Name: 'u' } } },
      }),
    ).toThrow(/QueueUrl needs AWS::SQS::Queue/);
  });

  test('a GraphQL API deploys with the attributes AppSync gives it', () => {
    const stack = run({
      Resources: {
        Api: { Type: 'AWS::AppSync::GraphQLApi', Properties: { Name: 'api', AuthenticationType: 'AWS_IAM' } },
      },
      Outputs: {
        Api: { Value: { 'Fn::GetAtt': ['Api', 'Arn'] } },
        ApiId: { Value: { 'Fn::GetAtt': ['Api', 'ApiId'] } },
        Url: { Value: { 'Fn::GetAtt': ['Api', 'GraphQLUrl'] } },
      },
    });
    const id = stack.outputs.ApiId!;
    expect(id).toMatch(/^[a-z0-9]{26}$/);
    expect(stack.outputs.Api).toBe(`arn:aws:appsync:eu-central-1:000000000000:apis/${id}`);
    expect(stack.outputs.Url).toBe(`https://${id}.appsync-api.eu-central-1.amazonaws.com/graphql`);
    expect(stack.resources.every((r) => r.supported)).toBe(true);
  });

  test('log groups and queues are not served, but their ARNs are formed as AWS forms them', () => {
    const Resources = {
      Logs: {
        Type: 'AWS::Logs::LogGroup',
        Properties: { LogGroupName: '/aws/lambda/pipeline', RetentionInDays: 30 },
      },
      Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'failed-events' } },
    };
    const stack = run({
      Resources,
      Outputs: {
        Logs: { Value: { 'Fn::GetAtt': ['Logs', 'Arn'] } },
        Queue: { Value: { 'Fn::GetAtt': ['Queue', 'Arn'] } },
      },
    });
    expect(stack.outputs.Logs).toBe(
      'arn:aws:logs:eu-central-1:000000000000:log-group:/aws/lambda/pipeline:*',
    );
    expect(stack.outputs.Queue).toBe('arn:aws:sqs:eu-central-1:000000000000:failed-events');
    expect(stack.resources.every((r) => !r.supported)).toBe(true);
  });

  test('an attribute the type does not have', () => {
    expect(() => output({ 'Fn::GetAtt': ['Bucket', 'Colour'] }, { Resources: bucket })).toThrow(
      /AWS::S3::Bucket has no attribute Colour/,
    );
  });

  test('a template with a transform (SAM, AWS::Include) is refused', () => {
    expect(() => run({ Transform: 'AWS::Serverless-2016-10-31' } as Partial<Template>)).toThrow(
      /transform "AWS::Serverless-2016-10-31", which the sandbox does not expand/,
    );
  });

  test('two stacks exporting the same name', () => {
    const exports = new Map<string, unknown>([['Taken', 'x']]);
    expect(() => run({ Outputs: { O: { Value: 'v', Export: { Name: 'Taken' } } } }, exports)).toThrow(
      /export name Taken is already exported/,
    );
  });
});

test('unsupported resources keep a Ref-able physical id but are never resolved', () => {
  const stack = run({
    Resources: {
      Custom: { Type: 'Custom::Thing', Properties: { ServiceToken: { 'Fn::GetAtt': ['Missing', 'Arn'] } } },
    },
    Outputs: { Out: { Value: { Ref: 'Custom' } } },
  });
  expect(stack.resources).toEqual([
    expect.objectContaining({ logicalId: 'Custom', supported: false, properties: {} }),
  ]);
  expect(stack.outputs.Out).toMatch(/^Test-Stack-Custom-[A-Z0-9]{12}$/);
});
