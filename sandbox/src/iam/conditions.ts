/**
 * The Condition element: `{ "<[ForAnyValue:|ForAllValues:]Operator[IfExists]>": { "<key>": values } }`.
 * Operators AND together, keys within an operator AND together, the values of one key OR together.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';

import type { RequestContext } from './context';
import { matchesArn, matchesPattern, referencesUndefinedVariable } from './patterns';
import type { PolicyStatement } from './types';

type ConditionBlock = NonNullable<PolicyStatement['Condition']>;

/**
 * Compares one request value with one policy value, in the operator's positive form; `undefined`
 * when they cannot be compared (not a number, date or IP address).
 */
type Comparator = (
  requestValue: string,
  policyValue: string,
  context: RequestContext,
  variables: boolean,
) => boolean | undefined;

interface OperatorSpec {
  readonly compare: Comparator;
  /** `StringNotEquals` is the negation of `StringEquals`, etc.: true when no policy value matches. */
  readonly negated: boolean;
  /** Whether `${...}` in policy values is substituted (string and ARN operators only). */
  readonly variables: boolean;
}

const stringEquals: Comparator = (value, policy, context, variables) =>
  matchesPattern(policy, value, context, { variables, wildcards: false, ignoreCase: false });
const stringEqualsIgnoreCase: Comparator = (value, policy, context, variables) =>
  matchesPattern(policy, value, context, { variables, wildcards: false, ignoreCase: true });
const stringLike: Comparator = (value, policy, context, variables) =>
  matchesPattern(policy, value, context, { variables, wildcards: true, ignoreCase: false });
// ArnEquals accepts wildcards exactly like ArnLike.
const arnLike: Comparator = (value, policy, context, variables) =>
  matchesArn(policy, value, context, variables);
/** Numeric and date operators: both sides parsed to numbers, then compared. */
const parsedAs =
  (parse: (text: string) => number | undefined) =>
  (test: (a: number, b: number) => boolean): Comparator =>
  (value, policy) => {
    const a = parse(value);
    const b = parse(policy);
    return a === undefined || b === undefined ? undefined : test(a, b);
  };
const numeric = parsedAs(parseNumber);
const date = parsedAs(parseDate);
const bool: Comparator = (value, policy) => value.toLowerCase() === policy.toLowerCase();
const ipAddress: Comparator = (value, policy) => inCidr(value, policy);

const OPERATORS: Readonly<Record<string, OperatorSpec>> = {
  StringEquals: { compare: stringEquals, negated: false, variables: true },
  StringNotEquals: { compare: stringEquals, negated: true, variables: true },
  StringEqualsIgnoreCase: { compare: stringEqualsIgnoreCase, negated: false, variables: true },
  StringNotEqualsIgnoreCase: { compare: stringEqualsIgnoreCase, negated: true, variables: true },
  StringLike: { compare: stringLike, negated: false, variables: true },
  StringNotLike: { compare: stringLike, negated: true, variables: true },
  ArnEquals: { compare: arnLike, negated: false, variables: true },
  ArnLike: { compare: arnLike, negated: false, variables: true },
  ArnNotEquals: { compare: arnLike, negated: true, variables: true },
  ArnNotLike: { compare: arnLike, negated: true, variables: true },
  NumericEquals: { compare: numeric((a, b) => a === b), negated: false, variables: false },
  NumericNotEquals: { compare: numeric((a, b) => a === b), negated: true, variables: false },
  NumericLessThan: { compare: numeric((a, b) => a < b), negated: false, variables: false },
  NumericLessThanEquals: { compare: numeric((a, b) => a <= b), negated: false, variables: false },
  NumericGreaterThan: { compare: numeric((a, b) => a > b), negated: false, variables: false },
  NumericGreaterThanEquals: { compare: numeric((a, b) => a >= b), negated: false, variables: false },
  DateEquals: { compare: date((a, b) => a === b), negated: false, variables: false },
  DateNotEquals: { compare: date((a, b) => a === b), negated: true, variables: false },
  DateLessThan: { compare: date((a, b) => a < b), negated: false, variables: false },
  DateLessThanEquals: { compare: date((a, b) => a <= b), negated: false, variables: false },
  DateGreaterThan: { compare: date((a, b) => a > b), negated: false, variables: false },
  DateGreaterThanEquals: { compare: date((a, b) => a >= b), negated: false, variables: false },
  Bool: { compare: bool, negated: false, variables: false },
  IpAddress: { compare: ipAddress, negated: false, variables: false },
  NotIpAddress: { compare: ipAddress, negated: true, variables: false },
};

export class UnknownConditionOperatorError extends Error {}

/** For deploy-time validation: AWS refuses a policy with an unknown operator when it is created. */
export function isKnownConditionOperator(fullOperator: string): boolean {
  try {
    const { operator } = parseOperator(fullOperator);
    return operator === 'Null' || OPERATORS[operator] !== undefined;
  } catch {
    return false;
  }
}

/** Whether every condition in the block holds for this request. */
export function conditionsHold(
  block: ConditionBlock | undefined,
  context: RequestContext,
  variables: boolean,
): boolean {
  if (!block) return true;
  return Object.entries(block).every(([operator, entries]) =>
    Object.entries(entries).every(([key, raw]) => {
      const policyValues = (Array.isArray(raw) ? raw : [raw]).map(String);
      return conditionHolds(operator, key, policyValues, context, variables);
    }),
  );
}

function conditionHolds(
  fullOperator: string,
  key: string,
  policyValues: readonly string[],
  context: RequestContext,
  variables: boolean,
): boolean {
  const { setOperator, operator, ifExists } = parseOperator(fullOperator);
  if (operator === 'Null') {
    // `Null: true` asks "is the key absent?"; set operators and IfExists do not apply.
    const absent = isAbsent(context.get(key));
    return policyValues.some((value) => (value.toLowerCase() === 'true') === absent);
  }

  const spec = OPERATORS[operator];
  if (!spec) throw new UnknownConditionOperatorError(`Unknown condition operator ${fullOperator}`);
  const substitute = spec.variables && variables;
  // A comparison that cannot be made (an undefined variable, a value that is not a number, date or
  // IP address) satisfies neither the operator nor its negation.
  const satisfies = (requestValue: string): boolean => {
    const results = policyValues.map((policyValue) =>
      substitute && referencesUndefinedVariable(policyValue, context)
        ? undefined
        : spec.compare(requestValue, policyValue, context, substitute),
    );
    return spec.negated ? results.every((r) => r === false) : results.some((r) => r === true);
  };

  const requestValue = context.get(key);
  if (isAbsent(requestValue)) {
    if (setOperator === 'ForAllValues') return true; // vacuously true: no value fails
    if (setOperator === 'ForAnyValue') return ifExists;
    return ifExists || spec.negated; // "not equal to x" holds when there is nothing to compare
  }
  const values = typeof requestValue === 'string' ? [requestValue] : requestValue;
  if (setOperator === 'ForAllValues') return values.every(satisfies);
  if (setOperator === 'ForAnyValue') return values.some(satisfies);
  // A multi-valued key needs a set operator; without one no value matches, even for negated operators.
  if (typeof requestValue !== 'string') return false;
  return satisfies(requestValue);
}

function isAbsent(value: string | readonly string[] | undefined): value is undefined | readonly [] {
  return value === undefined || (typeof value !== 'string' && value.length === 0);
}

function parseOperator(fullOperator: string): {
  setOperator?: 'ForAnyValue' | 'ForAllValues';
  operator: string;
  ifExists: boolean;
} {
  let operator = fullOperator;
  let setOperator: 'ForAnyValue' | 'ForAllValues' | undefined;
  const colon = operator.indexOf(':');
  if (colon !== -1) {
    const prefix = operator.slice(0, colon);
    if (prefix !== 'ForAnyValue' && prefix !== 'ForAllValues') {
      throw new UnknownConditionOperatorError(`Unknown set operator ${prefix} in ${fullOperator}`);
    }
    setOperator = prefix;
    operator = operator.slice(colon + 1);
  }
  const ifExists = operator.endsWith('IfExists');
  if (ifExists) operator = operator.slice(0, -'IfExists'.length);
  return { setOperator, operator, ifExists };
}

function parseNumber(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** IAM dates are ISO 8601 or epoch seconds. */
function parseDate(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const value = Date.parse(text);
  return Number.isNaN(value) ? undefined : value;
}

function inCidr(address: string, cidr: string): boolean | undefined {
  const [network, bits] = cidr.split('/');
  const type = isIPv4(network ?? '') ? 'ipv4' : isIPv6(network ?? '') ? 'ipv6' : undefined;
  const addressType = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
  if (!type || !addressType) return undefined;
  const prefix = bits === undefined ? (type === 'ipv4' ? 32 : 128) : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > (type === 'ipv4' ? 32 : 128)) return undefined;
  const list = new BlockList();
  list.addSubnet(network!, prefix, type);
  return list.check(address, addressType);
}
