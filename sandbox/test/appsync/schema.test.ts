/**
 * AppSync's scalars and directives for graphql-js, and the resolver event, without a server: a
 * schema that uses them builds, values are checked on the way in and out as AppSync checks them,
 * and a direct Lambda resolver sees AppSync's event.
 */
import { execute, parse, validate } from 'graphql';
import { resolverEvent } from '../../src/services/appsync/event';
import { buildAppSyncSchema } from '../../src/services/appsync/schema';

const SCHEMA = buildAppSyncSchema(`
  type Query @aws_iam {
    echo(
      date: AWSDate, time: AWSTime, dateTime: AWSDateTime, timestamp: AWSTimestamp, email: AWSEmail,
      json: AWSJSON, url: AWSURL, phone: AWSPhone, ip: AWSIPAddress
    ): String @aws_cognito_user_pools(cognito_groups: ["admins"])
    out(kind: String!): Out
  }
  type Out { dateTime: AWSDateTime json: AWSJSON timestamp: AWSTimestamp }
  type Mutation { m: Int }
  type Subscription { s: Int @aws_subscribe(mutations: ["m"]) }
`);

async function run(query: string, variables: Record<string, unknown> = {}, rootValue: unknown = {}) {
  const document = parse(query);
  const problems = validate(SCHEMA, document);
  if (problems.length > 0) return { errors: problems.map((p) => p.message) };
  const result = await execute({
    schema: SCHEMA,
    document,
    variableValues: variables,
    rootValue,
    fieldResolver: (source, args, _ctx, info) =>
      info.fieldName === 'echo' ? JSON.stringify(args) : (source as Record<string, unknown>)[info.fieldName],
  });
  return { data: result.data, errors: result.errors?.map((e) => e.message) };
}

const valid: Record<string, unknown[]> = {
  date: ['2026-02-28', '2024-02-29', '2026-02-28Z', '2026-02-28+01:00'],
  time: ['12:30', '12:30:15', '12:30:15.123', '23:59:59Z', '12:30-05:00'],
  dateTime: ['2026-02-28T12:30:00Z', '2026-02-28T12:30:00.123+02:00', '2026-02-28T12:30Z'],
  timestamp: [0, 1767225600],
  email: ['ana@example.com', 'a.b+c@sub.example.org'],
  url: ['https://example.com/a?b=c', 'ftp://host/x', 'mailto:ana@example.com'],
  phone: ['+1 (555) 010-0100', '0123456789'],
  ip: ['127.0.0.1', '10.0.0.0/8', '::1', '2001:db8::/32'],
};
const invalid: Record<string, unknown[]> = {
  date: ['2026-02-30', '2026-13-01', '26-02-28', '2026-02-28T00:00:00Z', 20260228],
  time: ['24:00', '12:60', '1230', 'noon'],
  dateTime: ['2026-02-28T12:30:00', '2026-02-30T12:30:00Z', '2026-02-28 12:30:00Z', ''],
  timestamp: [1.5, '1767225600', 2 ** 60],
  email: ['ana', 'ana@', '@example.com', 'a b@example.com'],
  url: ['example.com', '/relative/path', 'https://exa mple.com', 'https://example.com/a//b'],
  phone: ['phone', '+', '12'],
  ip: ['256.0.0.1', '10.0.0.0/33', '::1/129', 'localhost', '1.2.3.4/8/8'],
};

test.each(Object.keys(valid))(
  '%s: accepts what AppSync accepts, refuses the rest, as variables',
  async (name) => {
    const type = {
      date: 'AWSDate',
      time: 'AWSTime',
      dateTime: 'AWSDateTime',
      timestamp: 'AWSTimestamp',
      email: 'AWSEmail',
      url: 'AWSURL',
      phone: 'AWSPhone',
      ip: 'AWSIPAddress',
    }[name]!;
    const query = `query Q($v: ${type}) { echo(${name}: $v) }`;
    for (const value of valid[name]!) {
      const result = await run(query, { v: value });
      expect({ value, errors: result.errors }).toEqual({ value, errors: undefined });
      expect(JSON.parse(result.data!.echo as string)).toEqual({ [name]: value });
    }
    for (const value of invalid[name]!) {
      const result = await run(query, { v: value });
      expect({ value, failed: (result.errors?.length ?? 0) > 0 }).toEqual({ value, failed: true });
    }
  },
);

test('literals are checked too', async () => {
  expect((await run('{ echo(dateTime: "2026-02-28T12:30:00Z") }')).errors).toBeUndefined();
  expect((await run('{ echo(dateTime: "yesterday") }')).errors?.[0]).toContain('not a valid AWSDateTime');
  expect((await run('{ echo(timestamp: "1") }')).errors?.[0]).toContain('AWSTimestamp');
});

test('AWSJSON: a JSON string in, parsed for the resolver; a value out, serialized', async () => {
  const input = await run('query Q($j: AWSJSON) { echo(json: $j) }', { j: '{"a":[1,2]}' });
  expect(JSON.parse(input.data!.echo as string)).toEqual({ json: { a: [1, 2] } });
  expect((await run('query Q($j: AWSJSON) { echo(json: $j) }', { j: '{oops' })).errors?.[0]).toContain(
    'JSON',
  );
  const output = await run('{ out(kind: "x") { json } }', {}, { out: { json: { b: true } } });
  expect(output.data).toEqual({ out: { json: '{"b":true}' } });
});

test('results are checked on the way out: a bad AWSDateTime from a resolver is a field error', async () => {
  const result = await run(
    '{ out(kind: "x") { dateTime timestamp } }',
    {},
    { out: { dateTime: 'soon', timestamp: 5 } },
  );
  expect(result.data).toEqual({ out: { dateTime: null, timestamp: 5 } });
  expect(result.errors?.[0]).toContain('not a valid AWSDateTime');
});

test("the resolver event: AppSync's keys, the selection set list and its GraphQL", async () => {
  const events: unknown[] = [];
  const document = parse(
    'query Q($k: String!) { out(kind: $k) { dateTime ...F nested: json __typename } } fragment F on Out { timestamp }',
  );
  await execute({
    schema: SCHEMA,
    document,
    variableValues: { k: 'a' },
    fieldResolver: (source, args, _ctx, info) => {
      if (info.fieldName !== 'out') return null;
      events.push(
        resolverEvent({
          args,
          source,
          info,
          identity: {
            accountId: '000000000000',
            cognitoIdentityPoolId: 'us-east-1:pool',
            cognitoIdentityId: 'us-east-1:me',
            cognitoIdentityAuthType: 'authenticated',
            cognitoIdentityAuthProvider: '"p","p:CognitoSignIn:sub"',
            sourceIp: ['127.0.0.1'],
            userArn: 'arn:aws:sts::000000000000:assumed-role/R/CognitoIdentityCredentials',
            username: 'AROAEXAMPLE:CognitoIdentityCredentials',
          },
          headers: { 'x-amz-date': '20260101T000000Z', 'x-repeated': ['a', 'b'] },
          variables: { k: 'a' },
        }),
      );
      return {};
    },
  });
  expect(events).toEqual([
    {
      arguments: { kind: 'a' },
      identity: expect.objectContaining({ cognitoIdentityId: 'us-east-1:me', sourceIp: ['127.0.0.1'] }),
      source: null,
      request: { headers: { 'x-amz-date': '20260101T000000Z', 'x-repeated': 'a,b' }, domainName: null },
      prev: null,
      info: {
        fieldName: 'out',
        parentTypeName: 'Query',
        variables: { k: 'a' },
        selectionSetList: ['dateTime', 'timestamp', 'nested'],
        selectionSetGraphQL: '{\n  dateTime\n  ...F\n  nested: json\n  __typename\n}',
      },
      stash: {},
    },
  ]);
});
