/** Which auth flows a client allows, and the refresh-token exchange shared by two operations. */
import type { AuthenticationResultType } from '@aws-sdk/client-cognito-identity-provider';
import type { UserPoolClientSpec, UserPoolSpec } from '../../deploy/model';
import type { IdpContext } from './context';
import { IdpErrors } from './errors';
import { hashRefreshToken, mintTokens, startSession } from './issue';
import type { UserRecord } from './store';
import { recordFailedSignIn, recordSuccessfulSignIn } from './throttle';

/** Cognito's defaults when a client lists no ExplicitAuthFlows. */
const DEFAULT_FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_CUSTOM_AUTH'];
/** The legacy names (without ALLOW_) that older templates still use. */
const LEGACY: Record<string, string> = {
  USER_PASSWORD_AUTH: 'ALLOW_USER_PASSWORD_AUTH',
  ADMIN_NO_SRP_AUTH: 'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  CUSTOM_AUTH_FLOW_ONLY: 'ALLOW_CUSTOM_AUTH',
};

export function assertFlowAllowed(
  client: UserPoolClientSpec,
  flow: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH' | 'REFRESH_TOKEN_AUTH',
): void {
  const listed = client.explicitAuthFlows.length > 0 ? client.explicitAuthFlows : DEFAULT_FLOWS;
  const allowed = new Set(listed.map((f) => LEGACY[f] ?? f));
  // Legacy-style lists imply SRP and refresh, as Cognito treats them.
  if (client.explicitAuthFlows.some((f) => !f.startsWith('ALLOW_'))) {
    allowed.add('ALLOW_USER_SRP_AUTH');
    allowed.add('ALLOW_REFRESH_TOKEN_AUTH');
  }
  if (!allowed.has(`ALLOW_${flow}`))
    throw IdpErrors.invalidParameter(`${flow} flow not enabled for this client`);
}

export async function exchangeRefreshToken(
  ctx: IdpContext,
  pool: UserPoolSpec,
  client: UserPoolClientSpec,
  refreshToken: string,
): Promise<AuthenticationResultType> {
  assertFlowAllowed(client, 'REFRESH_TOKEN_AUTH');
  const session = ctx.store.sessionByRefreshTokenHash(pool.id, hashRefreshToken(refreshToken));
  if (!session || session.clientId !== client.clientId)
    throw IdpErrors.notAuthorized('Invalid Refresh Token');
  if (session.revokedAt !== undefined) throw IdpErrors.notAuthorized('Refresh Token has been revoked');
  if (ctx.clock.now().getTime() >= session.expiresAt)
    throw IdpErrors.notAuthorized('Refresh Token has expired');
  const user = ctx.store.user(pool.id, session.sub);
  if (!user) throw IdpErrors.notAuthorized('User does not exist.');
  if (!user.enabled) throw IdpErrors.notAuthorized('User is disabled.');
  return mintTokens(ctx, pool, client, user, session);
}

/** After a correct password: the account checks Cognito makes, then a new sign-in session. */
export async function completeSignIn(
  ctx: IdpContext,
  pool: UserPoolSpec,
  client: UserPoolClientSpec,
  user: UserRecord,
): Promise<AuthenticationResultType> {
  recordSuccessfulSignIn(user);
  await ctx.store.saveUser(user);
  if (!user.enabled) throw IdpErrors.notAuthorized('User is disabled.');
  if (user.status === 'UNCONFIRMED') throw IdpErrors.userNotConfirmed();
  const result = await startSession(ctx, pool, client, user);
  ctx.logger.info(`user signed in: ${user.attributes.email ?? user.sub}`, {
    userPoolId: pool.id,
    clientId: client.clientId,
  });
  return result;
}

/** Counts a wrong password against the user (persisted) and returns the error to throw. */
export async function failSignIn(ctx: IdpContext, user: UserRecord): Promise<Error> {
  recordFailedSignIn(user, ctx.clock.now().getTime());
  await ctx.store.saveUser(user);
  return IdpErrors.notAuthorized();
}
