import type { ConfirmSignUpRequest, ConfirmSignUpResponse } from '@aws-sdk/client-cognito-identity-provider';
import { consumeCode } from '../codes';
import type { IdpContext } from '../context';
import { IdpErrors } from '../errors';
import { findUser, resolveClient } from '../lookup';
import { requiredString } from '../params';

export async function ConfirmSignUp(
  ctx: IdpContext,
  input: ConfirmSignUpRequest,
): Promise<ConfirmSignUpResponse> {
  const { pool, client } = resolveClient(ctx, requiredString(input, 'ClientId'));
  const username = requiredString(input, 'Username');
  const code = requiredString(input, 'ConfirmationCode');
  const user = findUser(ctx, pool, username);
  // With existence errors prevented, an unknown user is indistinguishable from a wrong code.
  if (!user) throw client.preventUserExistenceErrors ? IdpErrors.codeMismatch() : IdpErrors.userNotFound();
  if (user.status === 'CONFIRMED') {
    throw IdpErrors.notAuthorized('User cannot be confirmed. Current status is CONFIRMED');
  }
  await consumeCode(ctx, user, 'signUp', code);
  user.status = 'CONFIRMED';
  if (user.attributes.email !== undefined && pool.autoVerifiedAttributes.includes('email')) {
    user.attributes.email_verified = 'true';
  }
  user.updatedAt = ctx.clock.now().getTime();
  await ctx.store.saveUser(user);
  ctx.logger.info(`user confirmed: ${user.attributes.email ?? user.sub}`, {
    userPoolId: pool.id,
    sub: user.sub,
  });
  return {};
}
