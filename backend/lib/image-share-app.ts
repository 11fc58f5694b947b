import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AuthStack } from './auth-stack';
import type { AppConfig } from './config';
import { IdentityStack } from './identity-stack';
import { StorageStack } from './storage-stack';

export interface ImageShareStacks {
  readonly auth: AuthStack;
  readonly identity: IdentityStack;
  readonly storage: StorageStack;
}

/**
 * Adds the app's three stacks to `app`, environment-agnostic (synth needs no account), and
 * the cdk-nag AwsSolutions checks, so an unacknowledged finding fails synthesis.
 */
export function addImageShareStacks(app: App, config: AppConfig): ImageShareStacks {
  const production = config.stage === 'prod';
  const auth = new AuthStack(app, `${config.appName}-Auth`, {
    description: `${config.appName} (${config.stage}): user pool and web client`,
    retainOnDelete: production,
  });
  const identity = new IdentityStack(app, `${config.appName}-Identity`, {
    description: `${config.appName} (${config.stage}): identity pool, roles, admins group`,
    userPool: auth.userPool,
    userPoolClient: auth.userPoolClient,
  });
  const storage = new StorageStack(app, `${config.appName}-Storage`, {
    description: `${config.appName} (${config.stage}): uploads bucket, access policies, CloudFront, image pipeline and data API`,
    guestRole: identity.guestRole,
    authenticatedRole: identity.authenticatedRole,
    adminRole: identity.adminRole,
    allowedOrigins: config.allowedOrigins,
    production,
    customDomain: config.customDomain,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { auth, identity, storage };
}
