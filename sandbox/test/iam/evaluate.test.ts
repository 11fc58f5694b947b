import { evaluate } from '../../src/iam/evaluate';
import type { CallerPrincipal, EvaluationInput, PolicyDocument, PolicyStatement } from '../../src/iam/types';

const ACCOUNT = '000000000000';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/Reader`;
const SESSION: CallerPrincipal = {
  type: 'AWS',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Reader/CognitoIdentityCredentials`,
};

function policy(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

function allow(rest: Partial<PolicyStatement> = {}): PolicyStatement {
  return { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', ...rest };
}

function decide(
  identity: PolicyDocument[],
  request: Partial<EvaluationInput['request']> = {},
  extra: Partial<EvaluationInput> = {},
): string {
  return evaluate({
    request: {
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::bucket/public/a.png',
      principal: SESSION,
      context: { 'aws:PrincipalArn': ROLE_ARN },
      ...request,
    },
    identityPolicies: identity,
    mode: 'same-account',
    ...extra,
  }).decision;
}

describe('actions', () => {
  test('match case-insensitively, with * and ? wildcards', () => {
    expect(decide([policy(allow({ Action: 'S3:getobject' }))])).toBe('Allow');
    expect(decide([policy(allow({ Action: 's3:Get*' }))])).toBe('Allow');
    expect(decide([policy(allow({ Action: 's3:?etObject' }))])).toBe('Allow');
    expect(decide([policy(allow({ Action: 's3:Put*' }))])).toBe('ImplicitDeny');
  });

  test('NotAction allows everything except the listed actions', () => {
    expect(decide([policy(allow({ Action: undefined, NotAction: 's3:Put*' }))])).toBe('Allow');
    expect(decide([policy(allow({ Action: undefined, NotAction: 's3:Get*' }))])).toBe('ImplicitDeny');
  });
});

describe('resources', () => {
  test('match case-sensitively with wildcards', () => {
    expect(decide([policy(allow({ Resource: 'arn:aws:s3:::bucket/public/*' }))])).toBe('Allow');
    expect(decide([policy(allow({ Resource: 'arn:aws:s3:::bucket/PUBLIC/*' }))])).toBe('ImplicitDeny');
    expect(decide([policy(allow({ Resource: 'arn:aws:s3:::bucket/public/?.png' }))])).toBe('Allow');
  });

  test('a wildcard does not span the colons between ARN segments', () => {
    expect(decide([policy(allow({ Resource: 'arn:*:bucket/public/a.png' }))])).toBe('ImplicitDeny');
    expect(decide([policy(allow({ Resource: 'arn:aws:*/public/a.png' }))])).toBe('ImplicitDeny');
    expect(decide([policy(allow({ Resource: 'arn:*:s3:*:*:bucket/*' }))])).toBe('Allow');
    expect(decide([policy(allow({ Resource: 'arn:*' }))])).toBe('Allow');
  });

  test('NotResource allows everything outside the listed resources', () => {
    expect(
      decide([policy(allow({ Resource: undefined, NotResource: 'arn:aws:s3:::bucket/private/*' }))]),
    ).toBe('Allow');
    expect(
      decide([policy(allow({ Resource: undefined, NotResource: 'arn:aws:s3:::bucket/public/*' }))]),
    ).toBe('ImplicitDeny');
  });
});

describe('policy variables', () => {
  const own = policy(
    allow({ Resource: 'arn:aws:s3:::bucket/private/${cognito-identity.amazonaws.com:sub}/*' }),
  );
  const resource = 'arn:aws:s3:::bucket/private/us-east-1:1111/a.png';

  test('substitute the request value into the resource', () => {
    const context = { 'cognito-identity.amazonaws.com:sub': 'us-east-1:1111' };
    expect(decide([own], { resource, context })).toBe('Allow');
    expect(
      decide([own], { resource, context: { 'cognito-identity.amazonaws.com:sub': 'us-east-1:2222' } }),
    ).toBe('ImplicitDeny');
  });

  test('an undefined variable makes the statement not match', () => {
    expect(decide([own], { resource, context: {} })).toBe('ImplicitDeny');
  });

  test('a substituted value is literal: a * in it is no wildcard', () => {
    expect(decide([own], { resource, context: { 'cognito-identity.amazonaws.com:sub': '*' } })).toBe(
      'ImplicitDeny',
    );
  });

  test('${*}, ${?} and ${$} are literal characters', () => {
    const literal = policy(allow({ Resource: 'arn:aws:s3:::bucket/${*}${?}${$}' }));
    expect(decide([literal], { resource: 'arn:aws:s3:::bucket/*?$' })).toBe('Allow');
    expect(decide([literal], { resource: 'arn:aws:s3:::bucket/ab$' })).toBe('ImplicitDeny');
  });

  test('a default value stands in for a missing key', () => {
    const withDefault = policy(allow({ Resource: "arn:aws:s3:::bucket/${aws:username, 'guest'}/*" }));
    expect(decide([withDefault], { resource: 'arn:aws:s3:::bucket/guest/a' })).toBe('Allow');
    expect(
      decide([withDefault], { resource: 'arn:aws:s3:::bucket/bob/a', context: { 'aws:username': 'bob' } }),
    ).toBe('Allow');
  });

  test('policies without Version 2012-10-17 treat ${...} literally', () => {
    const old: PolicyDocument = { Statement: [allow({ Resource: 'arn:aws:s3:::bucket/${aws:username}' })] };
    expect(decide([old], { resource: 'arn:aws:s3:::bucket/bob', context: { 'aws:username': 'bob' } })).toBe(
      'ImplicitDeny',
    );
    expect(decide([old], { resource: 'arn:aws:s3:::bucket/${aws:username}' })).toBe('Allow');
  });

  test('variables work in condition values, and key names are case-insensitive', () => {
    const prefix = policy(
      allow({
        Condition: { StringLike: { 's3:prefix': 'private/${Cognito-Identity.amazonaws.com:SUB}/*' } },
      }),
    );
    const context = {
      'cognito-identity.amazonaws.com:sub': 'us-east-1:1111',
      'S3:Prefix': 'private/us-east-1:1111/x',
    };
    expect(decide([prefix], { context })).toBe('Allow');
  });
});

describe('conditions', () => {
  const withCondition = (
    condition: PolicyStatement['Condition'],
    context: Record<string, string | string[]>,
  ) => decide([policy(allow({ Condition: condition }))], { context });

  test.each([
    ['StringEquals', 'a', 'a', true],
    ['StringEquals', 'A', 'a', false],
    ['StringNotEquals', 'a', 'b', true],
    ['StringEqualsIgnoreCase', 'ABC', 'abc', true],
    ['StringNotEqualsIgnoreCase', 'ABC', 'abc', false],
    ['StringLike', 'public/*', 'public/x/y', true],
    ['StringLike', 'public/?', 'public/xy', false],
    ['StringNotLike', 'private/*', 'public/x', true],
    ['StringEquals', 'a*', 'abc', false],
    [
      'ArnEquals',
      'arn:aws:cloudfront::000000000000:distribution/*',
      'arn:aws:cloudfront::000000000000:distribution/E1',
      true,
    ],
    ['ArnLike', 'arn:aws:iam::*:role/R', 'arn:aws:iam::000000000000:role/R', true],
    ['ArnNotEquals', 'arn:aws:iam::000000000000:role/R', 'arn:aws:iam::000000000000:role/S', true],
    ['ArnNotLike', 'arn:aws:iam::*:role/*', 'arn:aws:iam::000000000000:role/S', false],
    ['Bool', 'true', 'TRUE', true],
    ['Bool', 'false', 'true', false],
    ['NumericEquals', '10', '10.0', true],
    ['NumericNotEquals', '10', '11', true],
    ['NumericLessThan', '10', '9', true],
    ['NumericLessThanEquals', '10', '10', true],
    ['NumericGreaterThan', '10', '10', false],
    ['NumericGreaterThanEquals', '10', '11', true],
    ['NumericEquals', '10', 'ten', false],
    ['DateEquals', '2026-01-01T00:00:00Z', '1767225600', true],
    ['DateNotEquals', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', true],
    ['DateLessThan', '2026-01-01T00:00:00Z', '2025-12-31T23:59:59Z', true],
    ['DateLessThanEquals', '2026-01-01', '2026-01-01T00:00:00Z', true],
    ['DateGreaterThan', '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z', true],
    ['DateGreaterThanEquals', '2026-01-01T00:00:00Z', '2025-01-01T00:00:00Z', false],
    ['IpAddress', '10.0.0.0/8', '10.1.2.3', true],
    ['IpAddress', '10.0.0.0/8', '11.1.2.3', false],
    ['IpAddress', '2001:db8::/32', '2001:db8::1', true],
    ['IpAddress', '0.0.0.0/0', '127.0.0.1', true],
    ['IpAddress', '10.0.0.0/8', '2001:db8::1', false],
    ['NotIpAddress', '127.0.0.1/32', '127.0.0.1', false],
  ])('%s %s against %s -> %s', (operator, policyValue, requestValue, expected) => {
    expect(withCondition({ [operator]: { 'test:key': policyValue } }, { 'test:key': requestValue })).toBe(
      expected ? 'Allow' : 'ImplicitDeny',
    );
  });

  test('the values of one key OR together; keys and operators AND together', () => {
    const condition = { StringEquals: { 'k:a': ['x', 'y'], 'k:b': 'z' }, Bool: { 'k:c': 'true' } };
    expect(withCondition(condition, { 'k:a': 'y', 'k:b': 'z', 'k:c': 'true' })).toBe('Allow');
    expect(withCondition(condition, { 'k:a': 'y', 'k:b': 'z', 'k:c': 'false' })).toBe('ImplicitDeny');
    expect(withCondition(condition, { 'k:a': 'w', 'k:b': 'z', 'k:c': 'true' })).toBe('ImplicitDeny');
  });

  test('a missing key fails positive operators and satisfies negated ones', () => {
    expect(withCondition({ StringEquals: { 'k:a': 'x' } }, {})).toBe('ImplicitDeny');
    expect(withCondition({ StringNotEquals: { 'k:a': 'x' } }, {})).toBe('Allow');
    expect(withCondition({ NumericLessThan: { 'k:a': '1' } }, {})).toBe('ImplicitDeny');
  });

  test('...IfExists is satisfied by a missing key and checks a present one', () => {
    expect(withCondition({ StringEqualsIfExists: { 'k:a': 'x' } }, {})).toBe('Allow');
    expect(withCondition({ StringEqualsIfExists: { 'k:a': 'x' } }, { 'k:a': 'y' })).toBe('ImplicitDeny');
  });

  test('Null checks presence', () => {
    expect(withCondition({ Null: { 'k:a': 'true' } }, {})).toBe('Allow');
    expect(withCondition({ Null: { 'k:a': 'true' } }, { 'k:a': 'x' })).toBe('ImplicitDeny');
    expect(withCondition({ Null: { 'k:a': 'false' } }, { 'k:a': 'x' })).toBe('Allow');
  });

  test('ForAnyValue needs one request value to match; a missing key fails', () => {
    const condition = { 'ForAnyValue:StringLike': { 'k:amr': 'authenticated' } };
    expect(withCondition(condition, { 'k:amr': ['authenticated', 'cognito-idp.x/pool'] })).toBe('Allow');
    expect(withCondition(condition, { 'k:amr': ['unauthenticated'] })).toBe('ImplicitDeny');
    expect(withCondition(condition, {})).toBe('ImplicitDeny');
  });

  test('ForAllValues needs every request value to match; a missing key passes', () => {
    const condition = { 'ForAllValues:StringEquals': { 'k:tags': ['a', 'b'] } };
    expect(withCondition(condition, { 'k:tags': ['a', 'b'] })).toBe('Allow');
    expect(withCondition(condition, { 'k:tags': ['a', 'c'] })).toBe('ImplicitDeny');
    expect(withCondition(condition, {})).toBe('Allow');
  });

  test('negated set operators negate per value', () => {
    expect(withCondition({ 'ForAllValues:StringNotEquals': { 'k:t': 'a' } }, { 'k:t': ['b', 'c'] })).toBe(
      'Allow',
    );
    expect(withCondition({ 'ForAllValues:StringNotEquals': { 'k:t': 'a' } }, { 'k:t': ['a', 'c'] })).toBe(
      'ImplicitDeny',
    );
    expect(withCondition({ 'ForAnyValue:StringNotEquals': { 'k:t': 'a' } }, { 'k:t': ['a', 'c'] })).toBe(
      'Allow',
    );
  });

  test('a multi-valued key without a set operator matches nothing', () => {
    expect(withCondition({ StringEquals: { 'k:t': 'a' } }, { 'k:t': ['a', 'b'] })).toBe('ImplicitDeny');
    expect(withCondition({ StringNotEquals: { 'k:t': 'z' } }, { 'k:t': ['a', 'b'] })).toBe('ImplicitDeny');
  });

  test('an undefined variable in a condition value makes even a negated condition fail', () => {
    expect(withCondition({ StringNotEquals: { 'k:a': '${aws:username}' } }, { 'k:a': 'x' })).toBe(
      'ImplicitDeny',
    );
  });

  test('an unknown operator is an error, not a silent match', () => {
    expect(() => withCondition({ StringSortOf: { 'k:a': 'x' } }, { 'k:a': 'x' })).toThrow(
      /Unknown condition operator StringSortOf/,
    );
  });
});

describe('combining policies', () => {
  test('an explicit deny anywhere wins over any allow', () => {
    const deny = policy({
      Effect: 'Deny',
      Action: 's3:*',
      Resource: '*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    expect(decide([policy(allow()), deny], { context: { 'aws:SecureTransport': 'false' } })).toBe(
      'ExplicitDeny',
    );
    expect(decide([policy(allow()), deny], { context: { 'aws:SecureTransport': 'true' } })).toBe('Allow');
  });

  test('nothing allowed means an implicit deny', () => {
    expect(decide([])).toBe('ImplicitDeny');
  });

  test('matched statements are reported by Sid, else by position', () => {
    const result = evaluate({
      request: { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', principal: SESSION, context: {} },
      identityPolicies: [policy(allow({ Action: 's3:Put*' }), allow()), policy(allow({ Sid: 'Named' }))],
      mode: 'same-account',
    });
    expect(result).toEqual({ decision: 'Allow', matchedStatements: ['identity0#1', 'Named'] });
  });
});

describe('resource policies and principals', () => {
  const bucketPolicy = (principal: PolicyStatement['Principal']) => policy(allow({ Principal: principal }));
  const withResourcePolicy = (
    principal: PolicyStatement['Principal'],
    caller: CallerPrincipal = SESSION,
    context = {},
  ) =>
    decide(
      [],
      { principal: caller, context: { 'aws:PrincipalArn': ROLE_ARN, ...context } },
      { resourcePolicy: bucketPolicy(principal) },
    );

  test('a grant naming the role allows its sessions without an identity policy', () => {
    expect(withResourcePolicy({ AWS: ROLE_ARN })).toBe('Allow');
    expect(withResourcePolicy({ AWS: SESSION.type === 'AWS' ? SESSION.arn : '' })).toBe('Allow');
    expect(withResourcePolicy({ AWS: `arn:aws:iam::${ACCOUNT}:role/Other` })).toBe('ImplicitDeny');
  });

  test('a grant to the account root delegates to identity policies', () => {
    expect(withResourcePolicy({ AWS: `arn:aws:iam::${ACCOUNT}:root` })).toBe('ImplicitDeny');
    expect(withResourcePolicy({ AWS: ACCOUNT })).toBe('ImplicitDeny');
    expect(
      decide(
        [policy(allow())],
        {},
        { resourcePolicy: bucketPolicy({ AWS: `arn:aws:iam::${ACCOUNT}:root` }) },
      ),
    ).toBe('Allow');
  });

  test('"*" and {"AWS": "*"} match every caller, including services and anonymous ones', () => {
    expect(withResourcePolicy('*', { type: 'Anonymous' })).toBe('Allow');
    expect(withResourcePolicy({ AWS: '*' }, { type: 'Anonymous' })).toBe('Allow');
    expect(withResourcePolicy({ AWS: '*' }, { type: 'Service', service: 'cloudfront.amazonaws.com' })).toBe(
      'Allow',
    );
    expect(withResourcePolicy({ AWS: ROLE_ARN }, { type: 'Anonymous' })).toBe('ImplicitDeny');
  });

  test('service and federated principals match by name', () => {
    const cloudfront: CallerPrincipal = { type: 'Service', service: 'cloudfront.amazonaws.com' };
    expect(withResourcePolicy({ Service: 'cloudfront.amazonaws.com' }, cloudfront)).toBe('Allow');
    expect(withResourcePolicy({ Service: ['lambda.amazonaws.com'] }, cloudfront)).toBe('ImplicitDeny');
    const cognito: CallerPrincipal = { type: 'Federated', provider: 'cognito-identity.amazonaws.com' };
    expect(withResourcePolicy({ Federated: 'cognito-identity.amazonaws.com' }, cognito)).toBe('Allow');
    expect(withResourcePolicy({ Federated: 'accounts.google.com' }, cognito)).toBe('ImplicitDeny');
  });

  test('NotPrincipal applies to everyone except the named principal', () => {
    const denyOthers = policy({
      Effect: 'Deny',
      NotPrincipal: { AWS: ROLE_ARN },
      Action: 's3:*',
      Resource: '*',
    });
    const input = (caller: CallerPrincipal, principalArn?: string) =>
      evaluate({
        request: {
          action: 's3:GetObject',
          resource: 'arn:aws:s3:::b/k',
          principal: caller,
          context: { 'aws:PrincipalArn': principalArn },
        },
        identityPolicies: [policy(allow())],
        resourcePolicy: denyOthers,
        mode: 'same-account',
      }).decision;
    expect(input(SESSION, ROLE_ARN)).toBe('Allow');
    expect(
      input(
        { type: 'AWS', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Other/s` },
        `arn:aws:iam::${ACCOUNT}:role/Other`,
      ),
    ).toBe('ExplicitDeny');
  });

  test('resource-only mode (trust policies) ignores identity policies', () => {
    expect(decide([policy(allow())], {}, { mode: 'resource-only' })).toBe('ImplicitDeny');
    expect(
      decide(
        [policy(allow())],
        {},
        { mode: 'resource-only', resourcePolicy: bucketPolicy({ AWS: ROLE_ARN }) },
      ),
    ).toBe('Allow');
  });

  test('a statement without Resource applies to the resource itself (trust policies)', () => {
    const trust = policy({
      Effect: 'Allow',
      Principal: { Federated: 'cognito-identity.amazonaws.com' },
      Action: 'sts:AssumeRoleWithWebIdentity',
    });
    expect(
      evaluate({
        request: {
          action: 'sts:AssumeRoleWithWebIdentity',
          resource: ROLE_ARN,
          principal: { type: 'Federated', provider: 'cognito-identity.amazonaws.com' },
          context: {},
        },
        identityPolicies: [],
        resourcePolicy: trust,
        mode: 'resource-only',
      }).decision,
    ).toBe('Allow');
  });
});
