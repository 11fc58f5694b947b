import type {
  GetTokensFromRefreshTokenRequest,
  GetTokensFromRefreshTokenResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { IdpContext } from '../context';
import { exchangeRefreshToken } from '../flows';
import { resolveClient } from '../lookup';
import { requiredString } from '../params';

/** Refresh tokens are not rotated (the pool's clients do not enable rotation), so none is returned. */
export async function GetTokensFromRefreshToken(
  ctx: IdpContext,
  input: GetTokensFromRefreshTokenRequest,
): Promise<GetTokensFromRefreshTokenResponse> {
  const refreshToken = requiredString(input, 'RefreshToken');
  const { pool, client } = resolveClient(ctx, requiredString(input, 'ClientId'));
  return { AuthenticationResult: await exchangeRefreshToken(ctx, pool, client, refreshToken) };
}
