/**
 * Our evaluator against iam-simulate on randomly generated identity policies and requests:
 * wildcards, variables, every condition operator, set operators, IfExists, missing and
 * multi-valued keys. Seeded, so a failure reproduces; the seed and the case are in the message.
 */
import { runUnsafeSimulation } from '@cloud-copilot/iam-simulate';

import { evaluate } from '../../src/iam/evaluate';
import type { EvaluationInput, PolicyStatement } from '../../src/iam/types';
import { toSimulation } from './oracle';

const ACCOUNT = '000000000000';
const SEED = 20260101;
const CASES = 4000;

/** mulberry32: a tiny seeded PRNG, so the generated cases are the same on every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = prng(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const some = <T>(items: readonly T[], max: number): T[] =>
  Array.from({ length: 1 + Math.floor(random() * max) }, () => pick(items));

const ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:DeleteObject'];
const ACTION_PATTERNS = [
  ...ACTIONS,
  's3:*',
  's3:Get*',
  's3:?utObject',
  '*',
  'S3:GETOBJECT',
  's3:List*',
  'iam:*',
];
const RESOURCES = [
  'arn:aws:s3:::b',
  'arn:aws:s3:::b/public/a.png',
  'arn:aws:s3:::b/private/alice/x',
  'arn:aws:s3:::b/Public/a.png',
  'arn:aws:s3:::c/k',
];
const RESOURCE_PATTERNS = [
  '*',
  'arn:aws:s3:::b',
  'arn:aws:s3:::b/*',
  'arn:aws:s3:::b/public/*',
  'arn:aws:s3:::b/p?blic/*',
  'arn:aws:s3:::b/private/${aws:username}/*',
  "arn:aws:s3:::b/private/${aws:username, 'alice'}/*",
  'arn:aws:s3:::${s3:prefix}',
  'arn:aws:s3:::*/k',
  'arn:*:s3:::b/*',
  'arn:aws:s3:::B/*',
];

interface KeySpec {
  readonly key: string;
  readonly values: readonly (string | string[])[];
  readonly policyValues: readonly string[];
  readonly operators: readonly string[];
}

const STRING_OPS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
];
const KEYS: readonly KeySpec[] = [
  {
    key: 'aws:username',
    // No wildcard characters in values that get substituted: iam-simulate 0.1.173 lets a substituted
    // `*` act as a wildcard; we keep request values literal (a request must not supply a pattern).
    values: ['alice', 'bob', 'Alice', 'al'],
    policyValues: ['alice', 'Alice', 'a*', 'b?b', '${aws:username}', '${aws:userid}', '*'],
    operators: STRING_OPS,
  },
  {
    key: 's3:prefix',
    values: ['', 'public/', 'public/x/', 'private/alice/', 'b'],
    policyValues: ['public/', 'public/*', 'private/${aws:username}/*', '', '*'],
    operators: STRING_OPS,
  },
  {
    key: 'aws:TagKeys',
    values: [['a'], ['a', 'b'], ['c'], ['A', 'b']],
    policyValues: ['a', 'b', 'A', '?'],
    operators: STRING_OPS,
  },
  {
    key: 's3:max-keys',
    values: ['0', '5', '10', '1000', 'many'],
    policyValues: ['5', '10', '10.0', 'x'],
    operators: [
      'NumericEquals',
      'NumericNotEquals',
      'NumericLessThan',
      'NumericLessThanEquals',
      'NumericGreaterThan',
      'NumericGreaterThanEquals',
    ],
  },
  {
    key: 'aws:CurrentTime',
    values: ['2026-01-01T00:00:00Z', '2025-06-01T12:00:00Z', '2027-01-01T00:00:00Z'],
    // ISO dates only: iam-simulate 0.1.173 compares an epoch-seconds policy value with milliseconds
    // (the unit tests cover epoch seconds: IAM's "UNIX time").
    policyValues: ['2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z', '2025-06-01T12:00:00Z'],
    operators: [
      'DateEquals',
      'DateNotEquals',
      'DateLessThan',
      'DateLessThanEquals',
      'DateGreaterThan',
      'DateGreaterThanEquals',
    ],
  },
  {
    key: 'aws:SecureTransport',
    values: ['true', 'false'],
    policyValues: ['true', 'false'],
    operators: ['Bool'],
  },
  {
    key: 'aws:SourceIp',
    values: ['10.1.2.3', '192.168.1.1', '2001:db8::1', '127.0.0.1'],
    // No 0.0.0.0/0: iam-simulate 0.1.173 matches no address against it (unit-tested here instead).
    policyValues: ['10.0.0.0/8', '192.168.1.1/32', '2001:db8::/32', '127.0.0.0/8'],
    operators: ['IpAddress', 'NotIpAddress'],
  },
  {
    key: 'aws:PrincipalArn',
    values: ['arn:aws:iam::000000000000:role/Reader', 'arn:aws:iam::000000000000:role/Writer'],
    policyValues: [
      'arn:aws:iam::000000000000:role/Reader',
      'arn:aws:iam::*:role/*',
      'arn:aws:iam::000000000000:role/W?iter',
    ],
    operators: ['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike'],
  },
];

function condition(): NonNullable<PolicyStatement['Condition']> {
  const block: Record<string, Record<string, string[]>> = {};
  for (let i = 0; i < 1 + Math.floor(random() * 2); i++) {
    const spec = pick(KEYS);
    const nullCheck = random() < 0.1;
    const base = nullCheck ? 'Null' : pick(spec.operators);
    const set = nullCheck ? '' : pick(['', '', 'ForAnyValue:', 'ForAllValues:']);
    // ForAnyValue:...IfExists on a missing key: IAM's rule for IfExists says true, iam-simulate 0.1.173 says
    // false; we follow IAM (unit-tested), so the comparison leaves that combination out.
    const ifExists = !nullCheck && set !== 'ForAnyValue:' && random() < 0.2 ? 'IfExists' : '';
    const values = nullCheck ? [pick(['true', 'false'])] : some(spec.policyValues, 2);
    block[`${set}${base}${ifExists}`] = { ...(block[`${set}${base}${ifExists}`] ?? {}), [spec.key]: values };
  }
  return block;
}

function statement(): PolicyStatement {
  const useNotAction = random() < 0.15;
  const useNotResource = random() < 0.15;
  return {
    Effect: random() < 0.25 ? 'Deny' : 'Allow',
    ...(useNotAction ? { NotAction: some(ACTION_PATTERNS, 2) } : { Action: some(ACTION_PATTERNS, 2) }),
    ...(useNotResource
      ? { NotResource: some(RESOURCE_PATTERNS, 2) }
      : { Resource: some(RESOURCE_PATTERNS, 2) }),
    ...(random() < 0.7 ? { Condition: condition() } : {}),
  };
}

function generate(): EvaluationInput {
  const context: Record<string, string | string[]> = {};
  for (const spec of KEYS) {
    if (random() < 0.6) context[spec.key] = pick(spec.values);
  }
  return {
    request: {
      action: pick(ACTIONS),
      resource: pick(RESOURCES),
      principal: { type: 'AWS', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Reader/session` },
      context,
    },
    identityPolicies: Array.from({ length: 1 + Math.floor(random() * 2) }, () => ({
      // iam-simulate 0.1.173 substitutes variables in 2008-10-17 policies too; IAM treats them literally there
      // (covered by a unit test), so the comparison uses the current version only.
      Version: '2012-10-17',
      Statement: Array.from({ length: 1 + Math.floor(random() * 3) }, statement),
    })),
    mode: 'same-account',
  };
}

const ORACLE: Readonly<Record<string, string>> = {
  Allowed: 'Allow',
  ExplicitlyDenied: 'ExplicitDeny',
  ImplicitlyDenied: 'ImplicitDeny',
};

test(`${CASES} generated identity-policy requests decide as iam-simulate decides (seed ${SEED})`, () => {
  const disagreements: string[] = [];
  const outcomes = new Map<string, number>();
  for (let i = 0; i < CASES; i++) {
    const input = generate();
    const ours = evaluate(input).decision;
    // Identity policies only, so the oracle's unsafe run (which needs no key validation) applies.
    const theirs = ORACLE[runUnsafeSimulation(toSimulation(input, ACCOUNT), {})];
    outcomes.set(ours, (outcomes.get(ours) ?? 0) + 1);
    if (ours !== theirs && disagreements.length < 5) {
      disagreements.push(
        `case ${i}: ours ${ours}, iam-simulate ${theirs}\n${JSON.stringify(input, null, 1)}`,
      );
    }
  }
  expect(disagreements).toEqual([]);
  // Enough of each outcome that agreement means something.
  for (const decision of ['Allow', 'ExplicitDeny', 'ImplicitDeny'])
    expect(outcomes.get(decision) ?? 0).toBeGreaterThan(CASES / 20);
});
