import type {
  VerifyUserAttributeRequest,
  VerifyUserAttributeResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { consumeCode } from '../codes';
import type { IdpContext } from '../context';
import { IdpErrors } from '../errors';
import { authenticateAccessToken } from '../lookup';
import { requiredString } from '../params';

export async function VerifyUserAttribute(
  ctx: IdpContext,
  input: VerifyUserAttributeRequest,
): Promise<VerifyUserAttributeResponse> {
  const { pool, user } = await authenticateAccessToken(ctx, requiredString(input, 'AccessToken'));
  const name = requiredString(input, 'AttributeName');
  const code = requiredString(input, 'Code');
  // Email is the only channel the sandbox delivers to (no SMS).
  if (name !== 'email') throw IdpErrors.invalidParameter(`Attribute ${name} cannot be verified.`);
  const pending = user.pendingEmail;
  if (pending !== undefined) {
    // A pending address is not reserved: someone may have signed up with it meanwhile.
    const holder = ctx.store.userByEmail(pool.id, pending);
    if (holder && holder.sub !== user.sub) throw IdpErrors.aliasExists();
  }
  await consumeCode(ctx, user, 'verifyEmail', code);
  if (pending !== undefined) {
    user.attributes.email = pending;
    delete user.pendingEmail;
  }
  user.attributes.email_verified = 'true';
  user.updatedAt = ctx.clock.now().getTime();
  await ctx.store.saveUser(user);
  return {};
}
