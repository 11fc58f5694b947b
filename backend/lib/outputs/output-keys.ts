// The fixed CloudFormation output keys (docs/architecture.md#the-outputs-contract). The stacks
// declare them and the converter finds them by key, whatever the stack name prefix is.
export const OUTPUT_KEYS = {
  region: 'Region',
  userPoolId: 'UserPoolId',
  userPoolClientId: 'UserPoolClientId',
  identityPoolId: 'IdentityPoolId',
  bucketName: 'BucketName',
  publicBaseUrl: 'PublicBaseUrl',
} as const;

/** Keys the sandbox adds under its own `Sandbox` entry of an outputs file. */
export const SANDBOX_OUTPUT_KEYS = {
  endpoint: 'Endpoint',
  mailboxUrl: 'MailboxUrl',
} as const;

export const SANDBOX_STACK = 'Sandbox';

/** The command that writes a real deployment's outputs file (named in every setup message). */
export const DEPLOY_COMMAND = 'pnpm cdk deploy --all --outputs-file ./outputs.json';
