/** Administrative actions for the sandbox CLI (AWS offers them as IAM-signed Admin* operations). */
import type { AdminGetUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { IdpContext } from './context';
import { IdpErrors } from './errors';
import { attributeList, findUser, resolvePool } from './lookup';
import type { UserRecord } from './store';

function requireUser(ctx: IdpContext, poolId: string, username: string): UserRecord {
  const pool = resolvePool(ctx, poolId);
  const user = findUser(ctx, pool, username);
  if (!user) throw IdpErrors.userNotFound();
  return user;
}

function requireGroup(ctx: IdpContext, poolId: string, group: string): void {
  if (!resolvePool(ctx, poolId).groups.has(group)) throw IdpErrors.resourceNotFound('Group not found.');
}

/** Group changes show in the next tokens the user gets (sign-in or refresh), as in Cognito. */
export async function addUserToGroup(
  ctx: IdpContext,
  poolId: string,
  username: string,
  group: string,
): Promise<void> {
  const user = await changeGroups(ctx, poolId, username, group, (groups) =>
    groups.includes(group) ? groups : [...groups, group],
  );
  ctx.logger.info(`added ${user.attributes.email ?? user.sub} to group ${group}`, { userPoolId: poolId });
}

export async function removeUserFromGroup(
  ctx: IdpContext,
  poolId: string,
  username: string,
  group: string,
): Promise<void> {
  await changeGroups(ctx, poolId, username, group, (groups) => groups.filter((g) => g !== group));
}

async function changeGroups(
  ctx: IdpContext,
  poolId: string,
  username: string,
  group: string,
  change: (groups: string[]) => string[],
): Promise<UserRecord> {
  requireGroup(ctx, poolId, group);
  const user = requireUser(ctx, poolId, username);
  user.groups = change(user.groups);
  user.updatedAt = ctx.clock.now().getTime();
  await ctx.store.saveUser(user);
  return user;
}

export function adminGetUser(
  ctx: IdpContext,
  poolId: string,
  username: string,
): AdminGetUserResponse & { Groups: string[] } {
  const user = requireUser(ctx, poolId, username);
  return {
    Username: user.sub,
    UserAttributes: attributeList(user),
    UserCreateDate: new Date(user.createdAt),
    UserLastModifiedDate: new Date(user.updatedAt),
    Enabled: user.enabled,
    UserStatus: user.status,
    Groups: [...user.groups],
  };
}
