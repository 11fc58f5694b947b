import type { ResourcesConfig } from 'aws-amplify';
import { parseAmplifyConfig } from 'aws-amplify/utils';

/** What the server hands to Amplify (server runner and browser alike). Plain JSON, safe to send to the client. */
export interface AmplifySetup {
  /** The `amplify_outputs.json`-shaped config the converter produced. */
  outputs: Record<string, unknown>;
  /** Sandbox mode only: the local URL that serves Cognito, Cognito identity and S3. */
  sandboxEndpoint?: string;
}

/**
 * `Amplify.configure(outputs)` never sets the Cognito endpoints, so the sandbox ones are added to the
 * parsed config instead (docs/sandbox.md#clients-that-cannot-set-an-s3-endpoint).
 */
export function toResourcesConfig({ outputs, sandboxEndpoint }: AmplifySetup): ResourcesConfig {
  const config = parseAmplifyConfig(outputs as Parameters<typeof parseAmplifyConfig>[0]);
  if (!sandboxEndpoint) return config;
  const cognito = config.Auth?.Cognito;
  if (!cognito?.userPoolId || !cognito.userPoolClientId || !cognito.identityPoolId) {
    throw new Error(
      'The outputs have no complete auth section, so the sandbox Cognito endpoints cannot be set.',
    );
  }
  const { userPoolId, userPoolClientId, identityPoolId } = cognito;
  return {
    ...config,
    Auth: {
      Cognito: {
        ...cognito,
        userPoolId,
        userPoolClientId,
        identityPoolId,
        userPoolEndpoint: sandboxEndpoint,
        identityPoolEndpoint: sandboxEndpoint,
      },
    },
  };
}
