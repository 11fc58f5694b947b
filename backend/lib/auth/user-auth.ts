import { MFA, PASSWORD_POLICY, SIGN_IN_ATTRIBUTE, TOKEN_VALIDITY } from '@image-share/contracts/auth';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { EmailSender } from '../config';

export interface UserAuthProps {
  /**
   * Keep the user pool (and everyone's account) when the stack is deleted, and turn on
   * deletion protection. Meant for prod.
   * @default false - the pool is destroyed with the stack
   */
  readonly retainOnDelete?: boolean;
  /**
   * Send the pool's mail through Amazon SES from this sender.
   * @default - Cognito's default sender, capped at a few dozen messages a day
   */
  readonly emailSender?: EmailSender;
}

/** The user pool people sign up to with their email, and the web app's client. */
export class UserAuth extends Construct {
  public readonly userPool: cognito.UserPool;
  public readonly userPoolClient: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: UserAuthProps = {}) {
    super(scope, id);
    const retain = props.retainOnDelete ?? false;

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      signInAliases: { [SIGN_IN_ATTRIBUTE]: true },
      signInCaseSensitive: false,
      selfSignUpEnabled: true,
      autoVerify: { email: true },
      // A changed email only replaces the old one once the new address is verified.
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: PASSWORD_POLICY.minLength,
        requireLowercase: PASSWORD_POLICY.requireLowercase,
        requireUppercase: PASSWORD_POLICY.requireUppercase,
        requireDigits: PASSWORD_POLICY.requireDigits,
        requireSymbols: PASSWORD_POLICY.requireSymbols,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa[MFA.configuration],
      // Explicit: SMS would need an SNS role and costs money per message.
      mfaSecondFactor: { otp: MFA.methods.includes('TOTP'), sms: false },
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      deletionProtection: retain,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      email: props.emailSender && sesEmail(props.emailSender),
    });
    const identityArn = props.emailSender?.sesIdentity.arn;
    if (identityArn !== undefined) {
      // CDK builds the ARN from the deploying account; an ARN given in config names its own.
      (this.userPool.node.defaultChild as cognito.CfnUserPool).addPropertyOverride(
        'EmailConfiguration.SourceArn',
        identityArn,
      );
    }

    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional with TOTP only: people can enrol an authenticator app, and requiring it would block self sign-up for a photo sharing app.',
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'The Essentials plan is used on purpose: the Plus plan (threat protection) is billed per monthly active user and is a per-deployment cost decision.',
    });

    this.userPoolClient = this.userPool.addClient('WebClient', {
      // A browser cannot keep a secret.
      generateSecret: false,
      authFlows: { userSrp: true },
      // Sign-in happens in the app through SRP; there is no hosted UI.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.minutes(TOKEN_VALIDITY.accessTokenMinutes),
      idTokenValidity: Duration.minutes(TOKEN_VALIDITY.idTokenMinutes),
      refreshTokenValidity: Duration.days(TOKEN_VALIDITY.refreshTokenDays),
      readAttributes: new cognito.ClientAttributes().withStandardAttributes({
        email: true,
        emailVerified: true,
      }),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true }),
    });
  }
}

function sesEmail(sender: EmailSender): cognito.UserPoolEmail {
  const { name, region } = sender.sesIdentity;
  return cognito.UserPoolEmail.withSES({
    fromEmail: sender.fromAddress,
    fromName: sender.displayName,
    replyTo: sender.replyTo,
    sesRegion: region,
    // An address identity is the From address itself, which CDK uses when no domain is given.
    sesVerifiedDomain: name.includes('@') ? undefined : name,
  });
}
