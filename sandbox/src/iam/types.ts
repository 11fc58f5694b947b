/** IAM policy JSON as it appears in CloudFormation templates (after intrinsic resolution). */
export type OneOrMany<T> = T | T[];

export interface PolicyDocument {
  readonly Version?: string;
  readonly Id?: string;
  readonly Statement: OneOrMany<PolicyStatement>;
}

export type PrincipalBlock =
  | '*'
  | {
      readonly AWS?: OneOrMany<string>;
      readonly Service?: OneOrMany<string>;
      readonly Federated?: OneOrMany<string>;
      readonly CanonicalUser?: OneOrMany<string>;
    };

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: PrincipalBlock;
  readonly NotPrincipal?: PrincipalBlock;
  readonly Action?: OneOrMany<string>;
  readonly NotAction?: OneOrMany<string>;
  readonly Resource?: OneOrMany<string>;
  readonly NotResource?: OneOrMany<string>;
  /** { "<Operator>": { "<key>": value | value[] } } */
  readonly Condition?: Readonly<
    Record<string, Readonly<Record<string, OneOrMany<string | boolean | number>>>>
  >;
}

/** Who is calling, for matching `Principal` in resource and trust policies. */
export type CallerPrincipal =
  | { readonly type: 'AWS'; readonly arn: string } // an assumed-role session: arn:aws:sts::<acct>:assumed-role/<role>/<session>; roleArn in context
  | { readonly type: 'Service'; readonly service: string } // e.g. cloudfront.amazonaws.com
  | { readonly type: 'Federated'; readonly provider: string } // e.g. cognito-identity.amazonaws.com
  | { readonly type: 'Anonymous' };

export interface AuthorizationRequest {
  readonly action: string; // "s3:GetObject"
  readonly resource: string; // "arn:aws:s3:::bucket/key"
  readonly principal: CallerPrincipal;
  /** Condition keys and policy variables, e.g. "aws:SecureTransport": "true", "s3:prefix": "public/". */
  readonly context: Readonly<Record<string, string | readonly string[] | undefined>>;
}

export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

export interface EvaluationInput {
  readonly request: AuthorizationRequest;
  /** The caller's identity-based policies (the role's policies); empty for service principals and anonymous callers. */
  readonly identityPolicies: readonly PolicyDocument[];
  /** The resource-based policy (bucket policy or role trust policy), if any. */
  readonly resourcePolicy?: PolicyDocument;
  /**
   * For a resource policy, whether the caller belongs to the same account as the resource.
   * Same account: allowed if either the identity or the resource policy allows. Trust policies
   * (sts:AssumeRoleWithWebIdentity) are decided by the resource policy alone.
   */
  readonly mode: 'same-account' | 'resource-only';
}

export interface EvaluationResult {
  readonly decision: Decision;
  /** Sids (or "<policy index>#<statement index>") of the statements that decided, for logs and tests. */
  readonly matchedStatements: readonly string[];
}
