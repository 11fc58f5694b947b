import type {
  ChangePasswordRequest,
  ChangePasswordResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { IdpContext } from '../context';
import { failSignIn } from '../flows';
import { authenticateAccessToken } from '../lookup';
import { requiredString } from '../params';
import { assertPasswordAllowed } from '../password-policy';
import { createVerifier, passwordMatches, poolNameOf } from '../srp';
import { assertNotLockedOut } from '../throttle';

export async function ChangePassword(
  ctx: IdpContext,
  input: ChangePasswordRequest,
): Promise<ChangePasswordResponse> {
  const { pool, user } = await authenticateAccessToken(ctx, requiredString(input, 'AccessToken'));
  const previous = requiredString(input, 'PreviousPassword');
  const proposed = requiredString(input, 'ProposedPassword');
  assertNotLockedOut(user, ctx.clock.now().getTime());
  // A wrong previous password is a failed password check like any other, so it is throttled too.
  if (!passwordMatches(user, poolNameOf(pool.id), user.sub, previous)) throw await failSignIn(ctx, user);
  assertPasswordAllowed(proposed, pool.passwordPolicy, 'proposedPassword');
  Object.assign(user, createVerifier(poolNameOf(pool.id), user.sub, proposed));
  user.updatedAt = ctx.clock.now().getTime();
  await ctx.store.saveUser(user);
  return {};
}
