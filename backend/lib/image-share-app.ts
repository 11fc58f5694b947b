import { Annotations, type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AuthStack } from './auth-stack';
import type { AppConfig } from './config';
import { IdentityStack } from './identity-stack';
import { StorageStack } from './storage-stack';

/** The id of the synth warning a prod stage without an SES sender gets. */
export const DEFAULT_EMAIL_SENDER_WARNING = 'image-share:defaultEmailSenderInProd';

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
    emailSender: config.emailSender,
  });
  if (production && config.emailSender === undefined) {
    // Allowed, so that a first prod deploy needs no SES setup, but people stop receiving their
    // codes once the default sender's daily cap is reached.
    Annotations.of(auth.userPool).addWarningV2(
      DEFAULT_EMAIL_SENDER_WARNING,
      "prod uses Cognito's default email sender, which sends only a few dozen messages a day (sign-up codes, password resets); set the emailSender context to send through SES (README, Configuration)",
    );
  }
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
