/**
 * Temporary AWS credentials issued by the identity pool (GetCredentialsForIdentity) and checked
 * by S3. The identity service writes them; the S3 service looks them up by access key id.
 */
export interface SessionCredentials {
  readonly accessKeyId: string; // "ASIA" + 16 upper-case alphanumerics
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
  readonly roleArn: string;
  /** arn:aws:sts::<account>:assumed-role/<roleName>/CognitoIdentityCredentials */
  readonly assumedRoleArn: string;
  readonly identityId: string;
  readonly identityPoolId: string;
  /** cognito-identity.amazonaws.com:amr values, e.g. ["authenticated", "cognito-idp.<region>.amazonaws.com/<pool>", "cognito-idp...:CognitoSignIn:<sub>"] */
  readonly amr: readonly string[];
}

export interface CredentialStore {
  put(credentials: SessionCredentials): Promise<void>;
  get(accessKeyId: string): Promise<SessionCredentials | undefined>;
}
