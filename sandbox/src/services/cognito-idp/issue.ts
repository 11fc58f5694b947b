/** Token issuance: a sign-in opens a session (refresh token family); refreshes mint from it. */
import type { AuthenticationResultType } from '@aws-sdk/client-cognito-identity-provider';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { JWTPayload } from 'jose';
import type { UserPoolClientSpec, UserPoolSpec } from '../../deploy/model';
import type { IdpContext } from './context';
import { issuerOf } from './lookup';
import type { SignInSession, UserRecord } from './store';

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export async function startSession(
  ctx: IdpContext,
  pool: UserPoolSpec,
  client: UserPoolClientSpec,
  user: UserRecord,
): Promise<AuthenticationResultType> {
  const now = ctx.clock.now().getTime();
  // Opaque on purpose: only the server can tell what a refresh token means, and it keeps only a hash.
  const refreshToken = randomBytes(48).toString('base64url');
  const session: SignInSession = {
    poolId: pool.id,
    originJti: randomUUID(),
    clientId: client.clientId,
    sub: user.sub,
    refreshTokenHash: hashRefreshToken(refreshToken),
    authTime: Math.floor(now / 1000),
    expiresAt: now + client.refreshTokenValiditySeconds * 1000,
  };
  await ctx.store.saveSession(session, now);
  return { ...(await mintTokens(ctx, pool, client, user, session)), RefreshToken: refreshToken };
}

/** Groups the user is in that the pool still defines, and the role claims token-based role mapping reads. */
function groupClaims(pool: UserPoolSpec, user: UserRecord): Record<string, unknown> {
  const groups = user.groups.map((name) => pool.groups.get(name)).filter((g) => g !== undefined);
  if (groups.length === 0) return {};
  const claims: Record<string, unknown> = { 'cognito:groups': groups.map((g) => g.name) };
  const withRoles = groups.filter((g) => g.roleArn !== undefined);
  if (withRoles.length > 0) {
    claims['cognito:roles'] = [...new Set(withRoles.map((g) => g.roleArn as string))];
    // The lowest precedence wins and a tie leaves no preferred role, as in Cognito; a lone role-bearing group is preferred.
    const ranked = withRoles
      .filter((g) => g.precedence !== undefined)
      .sort((a, b) => (a.precedence as number) - (b.precedence as number));
    const best = ranked[0];
    const tied = best !== undefined && ranked.filter((g) => g.precedence === best.precedence).length > 1;
    if (best && !tied) claims['cognito:preferred_role'] = best.roleArn;
    else if (withRoles.length === 1) claims['cognito:preferred_role'] = withRoles[0]?.roleArn;
  }
  return claims;
}

function idTokenAttributes(user: UserRecord, client: UserPoolClientSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(user.attributes)) {
    if (name === 'sub') continue;
    if (client.readAttributes && !client.readAttributes.includes(name)) continue;
    // Verification flags are JSON booleans in the id token (strings in GetUser).
    out[name] = name.endsWith('_verified') ? value === 'true' : value;
  }
  return out;
}

export async function mintTokens(
  ctx: IdpContext,
  pool: UserPoolSpec,
  client: UserPoolClientSpec,
  user: UserRecord,
  session: SignInSession,
): Promise<AuthenticationResultType> {
  const iat = Math.floor(ctx.clock.now().getTime() / 1000);
  const common: JWTPayload = {
    sub: user.sub,
    iss: issuerOf(pool),
    origin_jti: session.originJti,
    event_id: randomUUID(),
    auth_time: session.authTime,
    iat,
    ...groupClaims(pool, user),
  };
  const accessToken = await ctx.keys.sign(pool.id, {
    ...common,
    client_id: client.clientId,
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    username: user.sub,
    exp: iat + client.accessTokenValiditySeconds,
    jti: randomUUID(),
  });
  const idToken = await ctx.keys.sign(pool.id, {
    ...idTokenAttributes(user, client),
    ...common,
    'cognito:username': user.sub,
    aud: client.clientId,
    token_use: 'id',
    exp: iat + client.idTokenValiditySeconds,
    jti: randomUUID(),
  });
  return {
    AccessToken: accessToken,
    IdToken: idToken,
    ExpiresIn: client.accessTokenValiditySeconds,
    TokenType: 'Bearer',
  };
}
