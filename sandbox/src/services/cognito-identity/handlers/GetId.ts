import type { GetIdInput, GetIdResponse } from '@aws-sdk/client-cognito-identity';
import type { IdentityContext } from '../context';
import { IdentityErrors } from '../errors';
import { createIdentity, loginsOf, resolveIdentityPool } from '../identities';
import { verifyLogins } from '../logins';

/** Guests get a fresh identity per call (the client caches it); a user always gets their own. */
export async function GetId(ctx: IdentityContext, input: GetIdInput): Promise<GetIdResponse> {
  const pool = resolveIdentityPool(ctx, input);
  const login = await verifyLogins(ctx, pool, loginsOf(input));
  if (!login) {
    if (!pool.allowUnauthenticated) throw IdentityErrors.guestsDisabled();
    return { IdentityId: (await createIdentity(ctx, pool, {})).identityId };
  }
  const existing = ctx.store.byLogin(pool.id, login.provider, login.sub);
  if (existing) return { IdentityId: existing.identityId };
  return { IdentityId: (await createIdentity(ctx, pool, { [login.provider]: login.sub })).identityId };
}
