/**
 * `@cloud-copilot/iam-simulate` as a test oracle for our evaluator. It is AGPL, so it is a
 * devDependency used only here, never by the sandbox itself.
 */
import { anonymousPrincipal, runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';

import type { Decision, EvaluationInput } from '../../src/iam/types';

const DECISIONS: Readonly<Record<string, Decision>> = {
  Allowed: 'Allow',
  ExplicitlyDenied: 'ExplicitDeny',
  ImplicitlyDenied: 'ImplicitDeny',
};

export function toSimulation(input: EvaluationInput, accountId: string): Simulation {
  const { principal } = input.request;
  const contextVariables: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(input.request.context)) {
    if (value !== undefined) contextVariables[key] = typeof value === 'string' ? value : [...value];
  }
  return {
    request: {
      principal:
        principal.type === 'AWS'
          ? principal.arn
          : principal.type === 'Service'
            ? principal.service
            : principal.type === 'Federated'
              ? principal.provider
              : anonymousPrincipal,
      action: input.request.action,
      resource: { resource: input.request.resource, accountId },
      contextVariables,
    },
    identityPolicies: input.identityPolicies.map((policy, i) => ({ name: `identity${i}`, policy })),
    resourcePolicy: input.resourcePolicy,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  };
}

const SUB = 'cognito-identity.amazonaws.com:sub';

/**
 * The oracle's decision from its strict, validating run. That run drops
 * `cognito-identity.amazonaws.com:sub` as an unknown S3 context key
 * (docs/security-model.md#how-the-rules-are-proven), so the identity id is written into the policy
 * text instead (which also checks our variable substitution against literal text).
 * (Its unsafe run cannot be used: in 0.1.173 it throws on any resource policy.)
 */
export async function oracleDecision(
  input: EvaluationInput,
  accountId: string,
): Promise<{ decision: Decision; ignoredContextKeys: readonly string[] }> {
  const sub = input.request.context[SUB];
  const substitute = <T>(policy: T): T =>
    typeof sub === 'string'
      ? (JSON.parse(JSON.stringify(policy).split(`\${${SUB}}`).join(sub)) as T)
      : policy;
  const context = Object.fromEntries(Object.entries(input.request.context).filter(([key]) => key !== SUB));
  const simulation = toSimulation(
    {
      ...input,
      request: { ...input.request, context },
      identityPolicies: input.identityPolicies.map(substitute),
      resourcePolicy: input.resourcePolicy && substitute(input.resourcePolicy),
    },
    accountId,
  );
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error')
    throw new Error(`oracle rejected the simulation: ${JSON.stringify(result.errors)}`);
  if (result.resultType !== 'single') throw new Error(`unexpected oracle result type ${result.resultType}`);
  const decision = DECISIONS[result.overallResult];
  if (!decision) throw new Error(`unexpected oracle result ${result.overallResult}`);
  return { decision, ignoredContextKeys: result.result.ignoredContextKeys ?? [] };
}
