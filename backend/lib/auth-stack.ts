import { OUTPUT_KEYS } from '@image-share/contracts/outputs';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { UserAuth } from './auth/user-auth';
import type { EmailSender } from './config';

export interface AuthStackProps extends StackProps {
  /**
   * Keep the user pool when the stack is deleted, with deletion protection on.
   * @default false
   */
  readonly retainOnDelete?: boolean;
  /**
   * Send the user pool's mail through Amazon SES.
   * @default - Cognito's default sender
   */
  readonly emailSender?: EmailSender;
}

/** The user pool and the web app's client. */
export class AuthStack extends Stack {
  public readonly userPool: cognito.IUserPool;
  public readonly userPoolClient: cognito.IUserPoolClient;

  constructor(scope: Construct, id: string, props: AuthStackProps = {}) {
    super(scope, id, props);
    const auth = new UserAuth(this, 'UserAuth', {
      retainOnDelete: props.retainOnDelete,
      emailSender: props.emailSender,
    });
    this.userPool = auth.userPool;
    this.userPoolClient = auth.userPoolClient;

    new CfnOutput(this, OUTPUT_KEYS.region, {
      value: this.region,
      description: 'The AWS region of every resource',
    });
    new CfnOutput(this, OUTPUT_KEYS.userPoolId, { value: auth.userPool.userPoolId });
    new CfnOutput(this, OUTPUT_KEYS.userPoolClientId, { value: auth.userPoolClient.userPoolClientId });
  }
}
