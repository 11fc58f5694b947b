/** Maps `AWSCognitoIdentityProviderService.<Operation>` to its handler. */
import { notImplemented } from '../../core/errors';
import type { IdpContext } from './context';
import { ChangePassword } from './handlers/ChangePassword';
import { ConfirmForgotPassword } from './handlers/ConfirmForgotPassword';
import { ConfirmSignUp } from './handlers/ConfirmSignUp';
import { DeleteUser } from './handlers/DeleteUser';
import { ForgotPassword } from './handlers/ForgotPassword';
import { GetTokensFromRefreshToken } from './handlers/GetTokensFromRefreshToken';
import { GetUser } from './handlers/GetUser';
import { GetUserAttributeVerificationCode } from './handlers/GetUserAttributeVerificationCode';
import { GlobalSignOut } from './handlers/GlobalSignOut';
import { InitiateAuth } from './handlers/InitiateAuth';
import { ResendConfirmationCode } from './handlers/ResendConfirmationCode';
import { RespondToAuthChallenge } from './handlers/RespondToAuthChallenge';
import { RevokeToken } from './handlers/RevokeToken';
import { SignUp } from './handlers/SignUp';
import { UpdateUserAttributes } from './handlers/UpdateUserAttributes';
import { VerifyUserAttribute } from './handlers/VerifyUserAttribute';
import { asInput } from './params';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each handler declares its own SDK input type
type Handler = (ctx: IdpContext, input: any) => Promise<unknown>;

/**
 * The operations the public (unsigned) user pool API offers. Admin* operations need IAM-signed
 * calls in AWS, which this endpoint does not verify, so they are not served here: the CLI uses
 * the service's own methods instead.
 */
const operations: Readonly<Record<string, Handler>> = {
  ChangePassword,
  ConfirmForgotPassword,
  ConfirmSignUp,
  DeleteUser,
  ForgotPassword,
  GetTokensFromRefreshToken,
  GetUser,
  GetUserAttributeVerificationCode,
  GlobalSignOut,
  InitiateAuth,
  ResendConfirmationCode,
  RespondToAuthChallenge,
  RevokeToken,
  SignUp,
  UpdateUserAttributes,
  VerifyUserAttribute,
};

export async function route(ctx: IdpContext, operation: string, input: unknown): Promise<unknown> {
  const handler = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
  if (!handler) throw notImplemented(operation);
  ctx.quotas.take(operation);
  return handler(ctx, asInput(input));
}
