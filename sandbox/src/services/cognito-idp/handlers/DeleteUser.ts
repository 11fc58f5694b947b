import type { DeleteUserRequest } from '@aws-sdk/client-cognito-identity-provider';
import type { IdpContext } from '../context';
import { authenticateAccessToken } from '../lookup';
import { requiredString } from '../params';

export async function DeleteUser(ctx: IdpContext, input: DeleteUserRequest): Promise<Record<string, never>> {
  const { pool, user } = await authenticateAccessToken(ctx, requiredString(input, 'AccessToken'));
  await ctx.store.deleteUser(pool.id, user.sub);
  ctx.logger.info(`user deleted: ${user.attributes.email ?? user.sub}`, { userPoolId: pool.id });
  return {};
}
