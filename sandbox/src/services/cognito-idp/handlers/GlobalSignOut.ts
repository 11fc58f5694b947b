import type { GlobalSignOutRequest, GlobalSignOutResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { IdpContext } from '../context';
import { authenticateAccessToken } from '../lookup';
import { requiredString } from '../params';

/** Revokes every session of the user: their refresh tokens, and the access tokens minted from them. */
export async function GlobalSignOut(
  ctx: IdpContext,
  input: GlobalSignOutRequest,
): Promise<GlobalSignOutResponse> {
  const { pool, user } = await authenticateAccessToken(ctx, requiredString(input, 'AccessToken'));
  const now = ctx.clock.now().getTime();
  for (const session of ctx.store.sessionsOf(pool.id, user.sub)) session.revokedAt ??= now;
  await ctx.store.saveSessions(pool.id);
  return {};
}
