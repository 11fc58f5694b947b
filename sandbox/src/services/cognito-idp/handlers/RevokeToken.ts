import type { RevokeTokenRequest, RevokeTokenResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { IdpContext } from '../context';
import { IdpErrors } from '../errors';
import { hashRefreshToken } from '../issue';
import { resolveClient } from '../lookup';
import { requiredString } from '../params';
import { unverifiedClaims } from '../tokens';

/** Revokes a refresh token and every access and id token minted from it (same origin_jti). */
export async function RevokeToken(ctx: IdpContext, input: RevokeTokenRequest): Promise<RevokeTokenResponse> {
  const token = requiredString(input, 'Token');
  const { pool, client } = resolveClient(ctx, requiredString(input, 'ClientId'));
  if (!client.enableTokenRevocation) {
    throw IdpErrors.unsupportedOperation('Token revocation is not enabled for this client.');
  }
  if (unverifiedClaims(token)) throw IdpErrors.unsupportedTokenType();
  const session = ctx.store.sessionByRefreshTokenHash(pool.id, hashRefreshToken(token));
  // RFC 7009: an unknown or already invalid token is not an error, the outcome is the same.
  if (!session) return {};
  if (session.clientId !== client.clientId) throw IdpErrors.unauthorizedClient();
  session.revokedAt ??= ctx.clock.now().getTime();
  await ctx.store.saveSessions(pool.id);
  return {};
}
