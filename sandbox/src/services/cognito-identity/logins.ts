/** Checks the `Logins` map of GetId / GetCredentialsForIdentity against the identity pool's providers. */
import type { JWTPayload } from 'jose';
import type { IdentityPoolSpec } from '../../deploy/model';
import type { IdentityContext } from './context';
import { IdentityErrors } from './errors';

export interface VerifiedLogin {
  /** "cognito-idp.<region>.amazonaws.com/<userPoolId>" */
  readonly provider: string;
  /** The app client the token was issued to (its `aud`). */
  readonly clientId: string;
  /** The user's sub in the user pool. */
  readonly sub: string;
  readonly claims: JWTPayload;
}

const REASONS = {
  malformed: 'Not a valid OpenId Connect identity token.',
  'unknown-issuer': "Issuer doesn't match providerName",
  'bad-signature': 'Invalid signature.',
  expired: 'Token expired.',
  'not-an-id-token': 'Not a valid OpenId Connect identity token.',
  revoked: 'Token has been revoked.',
} as const;

/** Undefined for a guest (no logins); throws NotAuthorizedException for anything that is not a valid login. */
export async function verifyLogins(
  ctx: IdentityContext,
  pool: IdentityPoolSpec,
  logins: Record<string, string>,
): Promise<VerifiedLogin | undefined> {
  const entries = Object.entries(logins);
  if (entries.length === 0) return undefined;
  // The sandbox's pools federate Cognito user pools only, so one login is all a caller can present.
  if (entries.length > 1) throw IdentityErrors.unsupportedProvider();
  const [provider, token] = entries[0] as [string, string];
  const configured = pool.providers.filter((p) => p.providerName === provider);
  if (configured.length === 0) throw IdentityErrors.unsupportedProvider();
  const checkRevocation = configured.some((p) => p.serverSideTokenCheck);
  const result = await ctx.idp.verifyIdToken(token, { checkRevocation });
  if (!result.ok) throw IdentityErrors.invalidLoginToken(REASONS[result.reason]);
  if (`https://${provider}` !== result.claims.iss)
    throw IdentityErrors.invalidLoginToken(REASONS['unknown-issuer']);
  const clientId = result.claims.aud;
  if (!configured.some((p) => p.clientId === clientId))
    throw IdentityErrors.invalidLoginToken('Incorrect token audience.');
  return { provider, clientId, sub: result.claims.sub, claims: result.claims };
}
