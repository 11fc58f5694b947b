/**
 * Our evaluator against iam-simulate on every request the storage access matrix can produce on the
 * deployed fixture templates (and on randomly generated policies): same input, same decision.
 */
import { ManualClock } from '../../src/core/clock';
import type { SessionCredentials } from '../../src/core/credentials';
import type { DeployedModel } from '../../src/deploy/model';
import {
  assumeRoleEvaluationInput,
  CLOUDFRONT_SERVICE_PRINCIPAL,
  s3EvaluationInput,
  type S3AuthorizationRequest,
  type S3Caller,
} from '../../src/iam/authorizer';
import { evaluate } from '../../src/iam/evaluate';
import type { EvaluationInput } from '../../src/iam/types';
import { deployFixture, deployRealApp, ID_A, ID_B, matrixCallers, type MatrixCallers } from './fixture-model';
import { oracleDecision } from './oracle';

let model: DeployedModel;
let callers: MatrixCallers;
const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));

const FOLDERS = ['public', 'protected', 'private'];
const OWNERS = [ID_A, ID_B, `${ID_A}x`, ''];
const OBJECT_ACTIONS = [
  's3:GetObject',
  's3:PutObject',
  's3:DeleteObject',
  's3:AbortMultipartUpload',
  's3:ListMultipartUploadParts',
  's3:GetObjectVersion',
];

function keys(): string[] {
  const out = ['photo.png', 'public', 'public/', 'private/../public/x.png'];
  for (const folder of FOLDERS) {
    for (const owner of OWNERS) out.push(owner ? `${folder}/${owner}/photo.png` : `${folder}/photo.png`);
  }
  return out;
}

function prefixes(): Array<string | undefined> {
  const out: Array<string | undefined> = [undefined, '', 'public', 'private/'];
  for (const folder of FOLDERS) {
    out.push(`${folder}/`);
    for (const owner of OWNERS.filter(Boolean)) out.push(`${folder}/${owner}/`, `${folder}/${owner}/sub/`);
  }
  return out;
}

function s3Requests(): S3AuthorizationRequest[] {
  const sessions: SessionCredentials[] = [callers.guest, callers.userA, callers.admin];
  const requests: S3AuthorizationRequest[] = [];
  for (const secureTransport of [true, false]) {
    for (const credentials of sessions) {
      const caller = { kind: 'role' as const, credentials };
      for (const action of OBJECT_ACTIONS) {
        for (const key of keys())
          requests.push({ caller, action, bucket: callers.bucket, key, secureTransport });
      }
      for (const prefix of prefixes()) {
        const context =
          prefix === undefined ? {} : { 's3:prefix': prefix, 's3:delimiter': '/', 's3:max-keys': '1000' };
        requests.push({ caller, action: 's3:ListBucket', bucket: callers.bucket, context, secureTransport });
      }
    }
    for (const sourceArn of [
      callers.distributionArn,
      'arn:aws:cloudfront::000000000000:distribution/EOTHER1234567',
    ]) {
      const caller: S3Caller = { kind: 'service', service: CLOUDFRONT_SERVICE_PRINCIPAL, sourceArn };
      for (const key of keys())
        requests.push({ caller, action: 's3:GetObject', bucket: callers.bucket, key, secureTransport });
    }
  }
  return requests;
}

describe.each<[string, () => Promise<DeployedModel>]>([
  ['the fixture templates', () => deployFixture()],
  ['the real app templates', () => deployRealApp()],
])('on %s', (_source, load) => {
  beforeAll(async () => {
    model = await load();
    callers = matrixCallers(model);
  }, 300_000);

  test('S3 requests: our decision equals iam-simulate on every cell, and the oracle ignores no key the policies use', async () => {
    const requests = s3Requests();
    expect(requests.length).toBeGreaterThan(700);
    const disagreements: string[] = [];
    const decisions = new Set<string>();
    for (const request of requests) {
      const input = s3EvaluationInput(model, request, clock);
      const ours = evaluate(input).decision;
      const theirs = await oracleDecision(input, model.accountId);
      decisions.add(ours);
      if (ours !== theirs.decision)
        disagreements.push(`${label(input)}: ours ${ours}, iam-simulate ${theirs.decision}`);
      // The oracle drops keys it does not know for the action (the cognito-identity ones for S3); harmless unless a policy reads them.
      const policyText = JSON.stringify([input.identityPolicies, input.resourcePolicy]).toLowerCase();
      const ignoredButUsed = theirs.ignoredContextKeys.filter((key) =>
        policyText.includes(key.toLowerCase()),
      );
      if (ignoredButUsed.length > 0)
        disagreements.push(`${label(input)}: iam-simulate ignored ${ignoredButUsed.join(', ')}`);
    }
    expect(disagreements).toEqual([]);
    // Every outcome occurs, so agreeing is not agreeing on "deny everything".
    expect([...decisions].sort()).toEqual(['Allow', 'ExplicitDeny', 'ImplicitDeny']);
  });

  test('role trust: our decision equals iam-simulate for every role, amr, audience and provider', async () => {
    const pool = [...model.identityPools.values()][0]!;
    const provider = `cognito-idp.us-east-1.amazonaws.com/${[...model.userPools.keys()][0]}`;
    // (An empty amr list is left to the unit tests: iam-simulate 0.1.173 throws on an empty multi-valued key.)
    const amrs = [
      ['unauthenticated'],
      ['authenticated', provider, `${provider}:CognitoSignIn:sub`],
      ['authenticated'],
      ['Authenticated'],
    ];
    const audiences = [pool.id, 'us-east-1:00000000-0000-4000-8000-000000000000'];
    const providers = ['cognito-identity.amazonaws.com', 'accounts.google.com'];
    const disagreements: string[] = [];
    let allowed = 0;
    let compared = 0;
    for (const roleArn of model.roles.keys()) {
      for (const amr of amrs) {
        for (const identityPoolId of audiences) {
          for (const federated of providers) {
            const input = assumeRoleEvaluationInput(
              model,
              roleArn,
              { identityPoolId, amr, provider: federated },
              clock,
            )!;
            const ours = evaluate(input).decision;
            const theirs = await oracleDecision(input, model.accountId);
            if (ours !== theirs.decision)
              disagreements.push(
                `${label(input)} amr=${amr.join(',')}: ours ${ours}, iam-simulate ${theirs.decision}`,
              );
            if (ours === 'Allow') allowed += 1;
            compared += 1;
          }
        }
      }
    }
    expect(disagreements).toEqual([]);
    expect(compared).toBe(model.roles.size * amrs.length * audiences.length * providers.length);
    expect(allowed).toBeGreaterThan(0);
  });
});

function label(input: EvaluationInput): string {
  const { principal, action, resource, context } = input.request;
  const who =
    principal.type === 'AWS'
      ? principal.arn.split('/')[1]
      : principal.type === 'Service'
        ? String(context['aws:SourceArn'])
        : principal.type;
  const prefix = context['s3:prefix'] === undefined ? '' : ` prefix=${String(context['s3:prefix'])}`;
  return `${who} ${action} ${resource}${prefix} tls=${String(context['aws:SecureTransport'])}`;
}
