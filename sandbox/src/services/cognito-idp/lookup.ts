import type { AttributeType } from '@aws-sdk/client-cognito-identity-provider';
import type { JWTPayload } from 'jose';
import { notImplemented } from '../../core/errors';
import type { UserPoolClientSpec, UserPoolSpec } from '../../deploy/model';
import type { IdpContext } from './context';
import { IdpErrors } from './errors';
import type { SignInSession, UserRecord } from './store';
import { unverifiedClaims, type VerifyFailure } from './tokens';

interface ClientRef {
  readonly pool: UserPoolSpec;
  readonly client: UserPoolClientSpec;
}

export function resolveClient(ctx: IdpContext, clientId: string): ClientRef {
  for (const pool of ctx.model.userPools.values()) {
    const client = pool.clients.get(clientId);
    // The model carries no client secrets, so SECRET_HASH could not be checked: refuse openly.
    if (client?.hasSecret) throw notImplemented(`App client ${clientId} has a secret; clients with secrets`);
    if (client) return { pool, client };
  }
  throw IdpErrors.resourceNotFound(`User pool client ${clientId} does not exist.`);
}

export function resolvePool(ctx: IdpContext, poolId: string): UserPoolSpec {
  const pool = ctx.model.userPools.get(poolId);
  if (!pool) throw IdpErrors.resourceNotFound(`User pool ${poolId} does not exist.`);
  return pool;
}

export function issuerOf(pool: UserPoolSpec): string {
  return `https://cognito-idp.${pool.region}.amazonaws.com/${pool.id}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A username is the internal one (the sub) or, with email usernames, the email alias. */
export function findUser(ctx: IdpContext, pool: UserPoolSpec, username: string): UserRecord | undefined {
  if (UUID.test(username)) {
    const bySub = ctx.store.user(pool.id, username.toLowerCase());
    if (bySub) return bySub;
  }
  return ctx.store.userByEmail(pool.id, username);
}

/** With preventUserExistenceErrors an unknown user looks like a wrong password; otherwise UserNotFoundException. */
export function unknownUserError(client: UserPoolClientSpec): Error {
  return client.preventUserExistenceErrors ? IdpErrors.notAuthorized() : IdpErrors.userNotFound();
}

interface AccessTokenCaller {
  readonly pool: UserPoolSpec;
  readonly client: UserPoolClientSpec;
  readonly user: UserRecord;
  readonly claims: JWTPayload;
}

/** Signature, issuer (a pool of this model) and expiry of a token; the caller checks its token_use. */
export async function verifyPoolToken(
  ctx: IdpContext,
  token: string,
): Promise<
  | { ok: true; pool: UserPoolSpec; claims: JWTPayload }
  | { ok: false; reason: 'malformed' | 'unknown-issuer' | VerifyFailure }
> {
  const unverified = unverifiedClaims(token);
  if (!unverified) return { ok: false, reason: 'malformed' };
  const poolId = typeof unverified.iss === 'string' ? unverified.iss.split('/').pop() : undefined;
  const pool = poolId ? ctx.model.userPools.get(poolId) : undefined;
  if (!pool || unverified.iss !== issuerOf(pool)) return { ok: false, reason: 'unknown-issuer' };
  const verified = await ctx.keys.verify(pool.id, issuerOf(pool), token, ctx.clock);
  return verified.ok ? { ok: true, pool, claims: verified.claims } : verified;
}

/** The sign-in session a verified token was minted from, unless it was revoked or deleted. */
export function liveSession(ctx: IdpContext, poolId: string, claims: JWTPayload): SignInSession | undefined {
  const session =
    typeof claims.origin_jti === 'string' ? ctx.store.session(poolId, claims.origin_jti) : undefined;
  return session?.revokedAt === undefined ? session : undefined;
}

/** Verifies an access token (signature, issuer, expiry, token_use, revocation) and loads its user. */
export async function authenticateAccessToken(ctx: IdpContext, token: string): Promise<AccessTokenCaller> {
  const verified = await verifyPoolToken(ctx, token);
  if (!verified.ok) {
    throw IdpErrors.notAuthorized(
      verified.reason === 'expired' ? 'Access Token has expired' : 'Invalid Access Token',
    );
  }
  const { pool, claims } = verified;
  if (
    claims.token_use !== 'access' ||
    typeof claims.sub !== 'string' ||
    typeof claims.client_id !== 'string'
  ) {
    throw IdpErrors.notAuthorized('Invalid Access Token');
  }
  const client = pool.clients.get(claims.client_id);
  if (!client) throw IdpErrors.notAuthorized('Invalid Access Token');
  if (!liveSession(ctx, pool.id, claims)) throw IdpErrors.notAuthorized('Access Token has been revoked');
  const user = ctx.store.user(pool.id, claims.sub);
  if (!user) throw IdpErrors.notAuthorized('User does not exist.');
  if (!user.enabled) throw IdpErrors.notAuthorized('User is disabled.');
  return { pool, client, user, claims };
}

/** GetUser's view: every attribute as a string, `sub` first. */
export function attributeList(user: UserRecord, readable?: readonly string[]): AttributeType[] {
  const names = Object.keys(user.attributes).sort((a, b) =>
    a === 'sub' ? -1 : b === 'sub' ? 1 : a.localeCompare(b),
  );
  return names
    .filter((name) => name === 'sub' || !readable || readable.includes(name))
    .map((name) => ({ Name: name, Value: user.attributes[name] }));
}

/** "jane@example.com" -> "j***@e***", the way Cognito shows a delivery destination. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.charAt(0)}***@${domain.charAt(0)}***`;
}
