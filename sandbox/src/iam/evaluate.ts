/**
 * The sandbox's IAM policy evaluator: identity policies + one resource policy, as AWS evaluates
 * them inside one account. An explicit Deny anywhere wins; otherwise an Allow from either side
 * allows (same-account), or only the resource policy decides (resource-only: role trust policies).
 *
 * Not modelled, because the deployed templates have none: SCPs/RCPs, permission boundaries,
 * session policies, cross-account access.
 */
import { conditionsHold } from './conditions';
import { RequestContext } from './context';
import { matchesArn, matchesPattern, referencesUndefinedVariable, VARIABLES_VERSION } from './patterns';
import type {
  CallerPrincipal,
  EvaluationInput,
  EvaluationResult,
  OneOrMany,
  PolicyDocument,
  PolicyStatement,
  PrincipalBlock,
} from './types';

/**
 * How a resource policy's Principal matched the caller. A grant to the caller's *account*
 * (`arn:aws:iam::<acct>:root` or the bare account id) delegates to the account's identity
 * policies and allows nothing on its own; a grant naming the caller (role, session, service,
 * federated provider or `*`) does.
 */
type PrincipalMatch = 'none' | 'account' | 'caller';

interface MatchedStatement {
  readonly id: string;
  readonly effect: 'Allow' | 'Deny';
  readonly principalMatch: PrincipalMatch;
}

export function evaluate(input: EvaluationInput): EvaluationResult {
  const { request } = input;
  const context = new RequestContext(request.context);

  const identityMatches =
    input.mode === 'resource-only'
      ? []
      : input.identityPolicies.flatMap((policy, index) =>
          matchingStatements(policy, `identity${index}`, input, context, false),
        );
  const resourceMatches = input.resourcePolicy
    ? matchingStatements(input.resourcePolicy, 'resource', input, context, true)
    : [];

  const denies = [...identityMatches, ...resourceMatches].filter((s) => s.effect === 'Deny');
  if (denies.length > 0) return { decision: 'ExplicitDeny', matchedStatements: denies.map((s) => s.id) };

  const allows = [
    ...identityMatches.filter((s) => s.effect === 'Allow'),
    ...resourceMatches.filter((s) => s.effect === 'Allow' && s.principalMatch === 'caller'),
  ];
  if (allows.length > 0) return { decision: 'Allow', matchedStatements: allows.map((s) => s.id) };
  return { decision: 'ImplicitDeny', matchedStatements: [] };
}

function matchingStatements(
  policy: PolicyDocument,
  policyId: string,
  input: EvaluationInput,
  context: RequestContext,
  isResourcePolicy: boolean,
): MatchedStatement[] {
  const variables = policy.Version === VARIABLES_VERSION;
  const matches: MatchedStatement[] = [];
  toArray(policy.Statement).forEach((statement, index) => {
    const principalMatch = isResourcePolicy ? statementPrincipalMatch(statement, input, context) : 'caller';
    if (principalMatch === 'none') return;
    if (!actionMatches(statement, input.request.action)) return;
    if (!resourceMatches(statement, input.request.resource, context, variables)) return;
    if (!conditionsHold(statement.Condition, context, variables)) return;
    matches.push({ id: statement.Sid ?? `${policyId}#${index}`, effect: statement.Effect, principalMatch });
  });
  return matches;
}

function actionMatches(statement: PolicyStatement, action: string): boolean {
  const matches = (pattern: string): boolean =>
    matchesPattern(pattern, action, EMPTY_CONTEXT, { variables: false, wildcards: true, ignoreCase: true });
  if (statement.Action !== undefined) return toArray(statement.Action).some(matches);
  if (statement.NotAction !== undefined) return !toArray(statement.NotAction).some(matches);
  return false;
}

function resourceMatches(
  statement: PolicyStatement,
  resource: string,
  context: RequestContext,
  variables: boolean,
): boolean {
  const matches = (pattern: string): boolean => matchesArn(pattern, resource, context, variables);
  if (statement.Resource !== undefined) return toArray(statement.Resource).some(matches);
  if (statement.NotResource !== undefined) {
    const patterns = toArray(statement.NotResource);
    // "Everything except a resource we cannot name" cannot be decided, so the statement does not apply.
    if (variables && patterns.some((pattern) => referencesUndefinedVariable(pattern, context))) return false;
    return !patterns.some(matches);
  }
  // Role trust policies have no Resource: the role itself is the resource.
  return true;
}

function statementPrincipalMatch(
  statement: PolicyStatement,
  input: EvaluationInput,
  context: RequestContext,
): PrincipalMatch {
  const caller = input.request.principal;
  if (statement.Principal !== undefined) return principalBlockMatch(statement.Principal, caller, context);
  if (statement.NotPrincipal !== undefined) {
    return principalBlockMatch(statement.NotPrincipal, caller, context) === 'none' ? 'caller' : 'none';
  }
  return 'none';
}

function principalBlockMatch(
  block: PrincipalBlock,
  caller: CallerPrincipal,
  context: RequestContext,
): PrincipalMatch {
  // `{"AWS": "*"}` is the same as `"*"`: every caller, services and anonymous ones included.
  if (block === '*' || toArray(block.AWS ?? []).includes('*')) return 'caller';
  switch (caller.type) {
    case 'AWS': {
      const matches = toArray(block.AWS ?? []).map((value) => awsPrincipalMatch(value, caller.arn, context));
      if (matches.includes('caller')) return 'caller';
      return matches.includes('account') ? 'account' : 'none';
    }
    case 'Service':
      return toArray(block.Service ?? []).includes(caller.service) ? 'caller' : 'none';
    case 'Federated':
      return toArray(block.Federated ?? []).includes(caller.provider) ? 'caller' : 'none';
    case 'Anonymous':
      return 'none';
  }
}

function awsPrincipalMatch(value: string, callerArn: string, context: RequestContext): PrincipalMatch {
  if (value === callerArn) return 'caller';
  // A role ARN names every session of that role.
  const principalArn = context.get('aws:PrincipalArn');
  if (typeof principalArn === 'string' && value === principalArn) return 'caller';
  const [, partition, , , callerAccount] = callerArn.split(':');
  if (value === callerAccount || value === `arn:${partition}:iam::${callerAccount}:root`) return 'account';
  return 'none';
}

const EMPTY_CONTEXT = new RequestContext({});

function toArray<T>(value: OneOrMany<T>): readonly T[] {
  return Array.isArray(value) ? value : [value as T];
}
