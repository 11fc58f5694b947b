/**
 * Temporary AWS credentials for an assumed role, checked by every signed request: the identity
 * pool issues them to people (GetCredentialsForIdentity), the Lambda service to its functions'
 * execution roles. Services look them up by access key id.
 */
export interface SessionCredentials {
  readonly accessKeyId: string; // "ASIA" + 16 upper-case alphanumerics
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
  readonly roleArn: string;
  /** arn:aws:sts::<account>:assumed-role/<roleName>/<session>: CognitoIdentityCredentials, or a function's name. */
  readonly assumedRoleArn: string;
  /** The identity pool session's keys; absent for a function's execution role. */
  readonly identityId?: string;
  readonly identityPoolId?: string;
  /** cognito-identity.amazonaws.com:amr values, e.g. ["authenticated", "cognito-idp.<region>.amazonaws.com/<pool>", "cognito-idp...:CognitoSignIn:<sub>"] */
  readonly amr?: readonly string[];
}

export interface CredentialStore {
  put(credentials: SessionCredentials): Promise<void>;
  get(accessKeyId: string): Promise<SessionCredentials | undefined>;
}
