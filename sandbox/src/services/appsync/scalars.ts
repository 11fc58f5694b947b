/**
 * AppSync's scalars and directives, which an AppSync schema uses without declaring them. They are
 * declared for graphql-js (SDL prepended to the schema) and the scalars validate their values the
 * way AppSync documents: on input (variables and literals) and on output.
 */
import { isIP } from 'node:net';
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

const OFFSET = '(?:Z|[+-]\\d{2}:\\d{2}(?::\\d{2})?)';
const DATE = '\\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])';
const TIME = '(?:[01]\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d(?:\\.\\d{1,9})?)?';
const DATE_RE = new RegExp(`^${DATE}${OFFSET}?$`);
const TIME_RE = new RegExp(`^${TIME}${OFFSET}?$`);
const DATE_TIME_RE = new RegExp(`^${DATE}T${TIME}${OFFSET}$`);
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_RE = /^\+?[0-9][0-9 ().-]{2,30}$/;

function stringScalar(
  name: string,
  description: string,
  valid: (value: string) => boolean,
): GraphQLScalarType {
  const check = (value: unknown): string => {
    if (typeof value !== 'string' || !valid(value))
      throw new GraphQLError(`Can't serialize value: ${JSON.stringify(value)} is not a valid ${name}`);
    return value;
  };
  return new GraphQLScalarType({
    name,
    description,
    serialize: check,
    parseValue: check,
    parseLiteral: (ast: ValueNode) => {
      if (ast.kind !== Kind.STRING)
        throw new GraphQLError(`${name} must be a string literal`, { nodes: ast });
      return check(ast.value);
    },
  });
}

/** The calendar date must exist (2026-02-30 matches the pattern but is no date). */
function realDate(value: string): boolean {
  const [y, m, d] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function url(value: string): boolean {
  // AppSync: RFC 1738 with a scheme (https:, mailto:, ...), and no "//" inside the path.
  if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(value) || !URL.canParse(value)) return false;
  const { protocol, pathname } = new URL(value);
  return !(value.startsWith(`${protocol}//`) && pathname.includes('//'));
}

function ipAddress(value: string): boolean {
  const [address, prefix, ...rest] = value.split('/');
  const version = isIP(address ?? '');
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

const timestamp = (value: unknown): number => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    throw new GraphQLError(`Can't serialize value: ${JSON.stringify(value)} is not a valid AWSTimestamp`);
  return value;
};

const json = new GraphQLScalarType({
  name: 'AWSJSON',
  description: 'A JSON string; variables and literals are parsed, results are serialized.',
  serialize: (value) => JSON.stringify(value),
  parseValue: (value) => {
    if (typeof value !== 'string') throw new GraphQLError('AWSJSON must be a JSON string');
    try {
      return JSON.parse(value) as unknown;
    } catch {
      throw new GraphQLError(`Variable is not a valid JSON string: ${value.slice(0, 100)}`);
    }
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('AWSJSON must be a string literal', { nodes: ast });
    try {
      return JSON.parse(ast.value) as unknown;
    } catch {
      throw new GraphQLError('Literal is not a valid JSON string', { nodes: ast });
    }
  },
});

export const APPSYNC_SCALARS: readonly GraphQLScalarType[] = [
  stringScalar(
    'AWSDate',
    'An extended ISO 8601 date, YYYY-MM-DD, optionally with an offset.',
    (v) => DATE_RE.test(v) && realDate(v),
  ),
  stringScalar('AWSTime', 'An extended ISO 8601 time, hh:mm[:ss[.sss]], optionally with an offset.', (v) =>
    TIME_RE.test(v),
  ),
  stringScalar(
    'AWSDateTime',
    'An extended ISO 8601 date and time, YYYY-MM-DDThh:mm[:ss[.sss]], with its offset (Z or ±hh:mm).',
    (v) => DATE_TIME_RE.test(v) && realDate(v),
  ),
  new GraphQLScalarType({
    name: 'AWSTimestamp',
    description: 'Seconds since 1970-01-01T00:00Z.',
    serialize: timestamp,
    parseValue: timestamp,
    parseLiteral: (ast) => {
      if (ast.kind !== Kind.INT) throw new GraphQLError('AWSTimestamp must be an integer', { nodes: ast });
      return timestamp(Number(ast.value));
    },
  }),
  stringScalar(
    'AWSEmail',
    'An email address, local-part@domain.',
    (v) => v.length <= 320 && EMAIL_RE.test(v),
  ),
  json,
  stringScalar('AWSURL', 'A URL with a scheme, e.g. https://example.com/path or mailto:a@example.com.', url),
  stringScalar(
    'AWSPhone',
    'A phone number, digits with optional +, spaces, dots, dashes, parentheses.',
    (v) => PHONE_RE.test(v),
  ),
  stringScalar('AWSIPAddress', 'An IPv4 or IPv6 address, optionally with a CIDR prefix.', ipAddress),
];

/** AppSync's authorization and subscription directives, declared so that schemas using them build. */
export const APPSYNC_DIRECTIVES_SDL = `
directive @aws_iam on OBJECT | FIELD_DEFINITION
directive @aws_api_key on OBJECT | FIELD_DEFINITION
directive @aws_oidc on OBJECT | FIELD_DEFINITION
directive @aws_lambda on OBJECT | FIELD_DEFINITION
directive @aws_cognito_user_pools(cognito_groups: [String]) on OBJECT | FIELD_DEFINITION
directive @aws_auth(cognito_groups: [String]) on FIELD_DEFINITION
directive @aws_subscribe(mutations: [String]) on FIELD_DEFINITION
directive @aws_publish(subscriptions: [String]) on FIELD_DEFINITION
`;
