// The pipeline function's wiring and its role's limits, evaluated by an IAM evaluator on the
// synthesized template: this bucket's folders, this table, this distribution, nothing else.
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { ACCOUNT, REGION, resolveTemplates, type StackTemplate } from '../support/stand-ins';
import { createTestApp, templatesOf } from '../support/test-app';

type PolicyDocument = { Statement: Record<string, unknown>[] };

describe('ImagePipeline', () => {
  let template: Template;
  let resolved: StackTemplate;
  let policies: { name: string; policy: PolicyDocument }[];
  let bucket: string;
  let table: string;
  let distribution: string;
  beforeAll(() => {
    const testApp = createTestApp();
    const templates = templatesOf(testApp);
    template = templates.storage;
    const name = testApp.storage.stackName;
    resolved = resolveTemplates({
      [testApp.auth.stackName]: templates.auth.toJSON() as StackTemplate,
      [testApp.identity.stackName]: templates.identity.toJSON() as StackTemplate,
      [name]: template.toJSON() as StackTemplate,
    })[name] as StackTemplate;
    const [functionId, fn] = Object.entries(resolved.Resources).find(
      ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('ImagePipelineFunction'),
    ) as [string, { Properties: Record<string, unknown> }];
    expect(functionId).toBeDefined();
    const roleArn = fn.Properties.Role as string;
    const roleId = roleArn.replace(/^.*:role\//, '');
    policies = Object.values(resolved.Resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties?.Roles as string[]).includes(roleId))
      .map((r) => ({
        name: r.Properties?.PolicyName as string,
        policy: r.Properties?.PolicyDocument as PolicyDocument,
      }));
    bucket = resolved.Outputs?.BucketName?.Value as string;
    const tableId = Object.entries(resolved.Resources).find(
      ([, r]) => r.Type === 'AWS::DynamoDB::Table',
    )?.[0] as string;
    table = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${tableId}`;
    const distributionId = Object.entries(resolved.Resources).find(
      ([, r]) => r.Type === 'AWS::CloudFront::Distribution',
    )?.[0] as string;
    distribution = (fn.Properties.Environment as { Variables: Record<string, string> }).Variables
      .DISTRIBUTION_ID as string;
    expect(distributionId).toBeDefined();
  });

  const decide = async (action: string, resource: string, context: Record<string, string> = {}) => {
    const result = await runSimulation(
      {
        request: {
          principal: `arn:aws:sts::${ACCOUNT}:assumed-role/pipeline/fn`,
          action,
          resource: { resource, accountId: ACCOUNT },
          contextVariables: context,
        },
        identityPolicies: policies,
        serviceControlPolicies: [],
        resourceControlPolicies: [],
      },
      {},
    );
    if (result.resultType !== 'single') throw new Error(JSON.stringify(result));
    return result.overallResult;
  };
  const object = (key: string, name = bucket) => `arn:aws:s3:::${name}/${key}`;
  const A = 'eu-west-1:aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa';

  test('runs on Node 24, x86_64, one full vCPU, with a DLQ-style on-failure destination', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['x86_64'],
      MemorySize: 1769,
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });

  test('is notified of creations and removals under protected/ and private/ only', () => {
    const notifications = Object.values(template.findResources('Custom::S3BucketNotifications'));
    const rules = (
      notifications[0]?.Properties.NotificationConfiguration.LambdaFunctionConfigurations as {
        Events: string[];
        Filter: { Key: { FilterRules: { Name: string; Value: string }[] } };
      }[]
    ).map((c) => `${c.Events.join()} ${c.Filter.Key.FilterRules.map((r) => `${r.Name}=${r.Value}`).join()}`);
    expect(rules.sort()).toEqual([
      's3:ObjectCreated:* prefix=private/',
      's3:ObjectCreated:* prefix=protected/',
      's3:ObjectRemoved:* prefix=private/',
      's3:ObjectRemoved:* prefix=protected/',
    ]);
  });

  test.each([
    ['s3:GetObject', `protected/${A}/cat.jpg`],
    ['s3:GetObjectVersion', `private/${A}/cat.jpg`],
    ['s3:PutObject', `renditions/protected/${A}/img/1/320.webp`],
    ['s3:DeleteObject', `public/${A}/img/1/320.webp`],
    ['s3:GetObject', `renditions/private/${A}/img/1/320.webp`],
  ])('may %s %s', async (action, key) => {
    expect(await decide(action, object(key))).toBe('Allowed');
  });

  test.each([
    ['s3:PutObject', `protected/${A}/cat.jpg`, 'write an original'],
    ['s3:DeleteObject', `private/${A}/cat.jpg`, 'delete an original'],
    ['s3:GetObject', 'other/thing', 'read outside its folders'],
    ['s3:PutObjectTagging', `protected/${A}/cat.jpg`, 'tag objects'],
    ['s3:DeleteObjectVersion', `public/${A}/x`, 'delete by version'],
  ])('may not %s %s (%s)', async (action, key) => {
    expect(await decide(action, object(key))).toBe('ImplicitlyDenied');
  });

  test('may not read or write another bucket', async () => {
    expect(await decide('s3:GetObject', object(`protected/${A}/cat.jpg`, 'other-bucket'))).toBe(
      'ImplicitlyDenied',
    );
    expect(await decide('s3:PutObject', object(`public/${A}/x.webp`, 'other-bucket'))).toBe(
      'ImplicitlyDenied',
    );
  });

  test('lists only under renditions/ and public/', async () => {
    const list = (prefix: string) =>
      decide('s3:ListBucket', `arn:aws:s3:::${bucket}`, { 's3:prefix': prefix });
    expect(await list(`public/${A}/img/`)).toBe('Allowed');
    expect(await list(`renditions/protected/${A}/img/`)).toBe('Allowed');
    expect(await list(`private/${A}/`)).toBe('ImplicitlyDenied');
  });

  test('reads and writes this table, queries only the owner index, and no other table', async () => {
    expect(await decide('dynamodb:PutItem', table)).toBe('Allowed');
    expect(await decide('dynamodb:Query', `${table}/index/ByOwner`)).toBe('Allowed');
    expect(await decide('dynamodb:Scan', table)).toBe('ImplicitlyDenied');
    expect(await decide('dynamodb:DeleteTable', table)).toBe('ImplicitlyDenied');
    expect(await decide('dynamodb:PutItem', table.replace(/table\/.*/, 'table/Other'))).toBe(
      'ImplicitlyDenied',
    );
  });

  test('invalidates only this distribution', async () => {
    const arn = (id: string) => `arn:aws:cloudfront::${ACCOUNT}:distribution/${id}`;
    expect(await decide('cloudfront:CreateInvalidation', arn(distribution))).toBe('Allowed');
    expect(await decide('cloudfront:CreateInvalidation', arn('EOTHER'))).toBe('ImplicitlyDenied');
  });

  test('invokes nothing', async () => {
    const fn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:anything`;
    expect(await decide('lambda:InvokeFunction', fn)).toBe('ImplicitlyDenied');
  });
});
