/** The event a direct Lambda resolver receives, built as AppSync builds it for an IAM caller. */
import type { IncomingHttpHeaders } from 'node:http';
import { print, type GraphQLResolveInfo } from 'graphql';
import { selectionSetList } from './selection';

export interface ResolverIdentity {
  readonly accountId: string;
  readonly cognitoIdentityPoolId: string | null;
  readonly cognitoIdentityId: string | null;
  readonly cognitoIdentityAuthType: 'authenticated' | 'unauthenticated' | null;
  /** `"cognito-idp.<region>.amazonaws.com/<pool>","cognito-idp.<region>.amazonaws.com/<pool>:CognitoSignIn:<sub>"` */
  readonly cognitoIdentityAuthProvider: string | null;
  readonly sourceIp: readonly string[];
  /** arn:aws:sts::<account>:assumed-role/<role>/CognitoIdentityCredentials */
  readonly userArn: string;
  /** The session's aws:userid, `<role id>:<session name>`. */
  readonly username: string;
}

export interface ResolverEventInput {
  readonly args: Record<string, unknown>;
  readonly source: unknown;
  readonly info: GraphQLResolveInfo;
  readonly identity: ResolverIdentity;
  readonly headers: IncomingHttpHeaders;
  readonly variables: object;
}

export function resolverEvent(input: ResolverEventInput): Record<string, unknown> {
  const { info } = input;
  const node = info.fieldNodes[0];
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return {
    arguments: input.args,
    identity: input.identity,
    // Root fields have no parent value.
    source: input.source ?? null,
    request: { headers, domainName: null },
    prev: null,
    info: {
      fieldName: info.fieldName,
      parentTypeName: info.parentType.name,
      variables: input.variables,
      selectionSetList: selectionSetList(info.fragments, node?.selectionSet),
      selectionSetGraphQL: node?.selectionSet ? print(node.selectionSet) : '',
    },
    stash: {},
  };
}
