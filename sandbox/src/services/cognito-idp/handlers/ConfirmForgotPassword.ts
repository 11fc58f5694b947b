import type {
  ConfirmForgotPasswordRequest,
  ConfirmForgotPasswordResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { consumeCode } from '../codes';
import type { IdpContext } from '../context';
import { IdpErrors } from '../errors';
import { findUser, resolveClient } from '../lookup';
import { requiredString } from '../params';
import { assertPasswordAllowed } from '../password-policy';
import { createVerifier, poolNameOf } from '../srp';
import { recordSuccessfulSignIn } from '../throttle';

export async function ConfirmForgotPassword(
  ctx: IdpContext,
  input: ConfirmForgotPasswordRequest,
): Promise<ConfirmForgotPasswordResponse> {
  const { pool, client } = resolveClient(ctx, requiredString(input, 'ClientId'));
  const username = requiredString(input, 'Username');
  const code = requiredString(input, 'ConfirmationCode');
  const password = requiredString(input, 'Password');
  const user = findUser(ctx, pool, username);
  if (!user) throw client.preventUserExistenceErrors ? IdpErrors.codeMismatch() : IdpErrors.userNotFound();
  assertPasswordAllowed(password, pool.passwordPolicy);
  await consumeCode(ctx, user, 'resetPassword', code);
  Object.assign(user, createVerifier(poolNameOf(pool.id), user.sub, password));
  // Proving control of the mailbox ends a lockout, as a successful sign-in would.
  recordSuccessfulSignIn(user);
  user.updatedAt = ctx.clock.now().getTime();
  await ctx.store.saveUser(user);
  ctx.logger.info(`password reset: ${user.attributes.email ?? user.sub}`, { userPoolId: pool.id });
  return {};
}
