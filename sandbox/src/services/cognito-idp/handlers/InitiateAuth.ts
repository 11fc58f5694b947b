import type { InitiateAuthRequest, InitiateAuthResponse } from '@aws-sdk/client-cognito-identity-provider';
import { createHmac, randomBytes } from 'node:crypto';
import { notImplemented } from '../../../core/errors';
import type { UserPoolClientSpec, UserPoolSpec } from '../../../deploy/model';
import { CHALLENGE_LIFETIME_MS, type IdpContext } from '../context';
import { IdpErrors } from '../errors';
import { assertFlowAllowed, completeSignIn, exchangeRefreshToken, failSignIn } from '../flows';
import { findUser, resolveClient, unknownUserError } from '../lookup';
import { requiredParameter, requiredString, stringMap } from '../params';
import { N, g, modPow, parseClientPublic, passwordMatches, poolNameOf, serverEphemeral } from '../srp';
import { assertNotLockedOut } from '../throttle';

/** Real flows the sandbox does not emulate: refused as unsupported, never answered with a fake success. */
const UNSUPPORTED_FLOWS = new Set([
  'CUSTOM_AUTH',
  'USER_AUTH',
  'ADMIN_USER_PASSWORD_AUTH',
  'ADMIN_NO_SRP_AUTH',
]);

export async function InitiateAuth(
  ctx: IdpContext,
  input: InitiateAuthRequest,
): Promise<InitiateAuthResponse> {
  const flow = requiredString(input, 'AuthFlow');
  const { pool, client } = resolveClient(ctx, requiredString(input, 'ClientId'));
  const params = stringMap(input, 'AuthParameters');
  switch (flow) {
    case 'USER_SRP_AUTH':
      return startSrp(ctx, pool, client, params);
    case 'USER_PASSWORD_AUTH':
      return passwordAuth(ctx, pool, client, params);
    case 'REFRESH_TOKEN_AUTH':
    case 'REFRESH_TOKEN': {
      const refreshToken = requiredParameter(params, 'REFRESH_TOKEN');
      return {
        AuthenticationResult: await exchangeRefreshToken(ctx, pool, client, refreshToken),
        ChallengeParameters: {},
      };
    }
    default:
      if (UNSUPPORTED_FLOWS.has(flow)) throw notImplemented(`InitiateAuth with AuthFlow ${flow}`);
      throw IdpErrors.validation(
        'authFlow',
        'Member must satisfy enum value set: [USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, USER_PASSWORD_AUTH, USER_AUTH]',
        flow,
      );
  }
}

async function startSrp(
  ctx: IdpContext,
  pool: UserPoolSpec,
  client: UserPoolClientSpec,
  params: Record<string, string>,
): Promise<InitiateAuthResponse> {
  assertFlowAllowed(client, 'USER_SRP_AUTH');
  const username = requiredParameter(params, 'USERNAME');
  const A = parseClientPublic(requiredParameter(params, 'SRP_A'));
  if (A === undefined) throw IdpErrors.invalidParameter('SRP_A is not a valid SRP public value.');
  const now = ctx.clock.now().getTime();
  const user = findUser(ctx, pool, username);
  let identity: { sub: string | undefined; userIdForSrp: string; salt: string; verifier: string };
  if (user) {
    assertNotLockedOut(user, now);
    identity = { sub: user.sub, userIdForSrp: user.sub, salt: user.salt, verifier: user.verifier };
  } else {
    if (!client.preventUserExistenceErrors) throw unknownUserError(client);
    identity = { sub: undefined, ...(await decoy(ctx, pool.id, username)) };
  }
  const ephemeral = serverEphemeral(identity.verifier);
  const secretBlock = randomBytes(128).toString('base64');
  const session = randomBytes(96).toString('base64url');
  ctx.challenges.put(
    secretBlock,
    {
      poolId: pool.id,
      clientId: client.clientId,
      sub: identity.sub,
      userIdForSrp: identity.userIdForSrp,
      session,
      A: A.toString(16),
      ephemeral,
      verifier: identity.verifier,
      expiresAt: now + CHALLENGE_LIFETIME_MS,
    },
    now,
  );
  return {
    ChallengeName: 'PASSWORD_VERIFIER',
    Session: session,
    ChallengeParameters: {
      SALT: identity.salt,
      SECRET_BLOCK: secretBlock,
      SRP_B: ephemeral.B,
      USERNAME: identity.userIdForSrp,
      USER_ID_FOR_SRP: identity.userIdForSrp,
    },
  };
}

/**
 * A stable, unguessable stand-in for an unknown user, so that probing usernames sees the same
 * shape of challenge (a uuid user id, a salt that does not change between probes) as for real ones.
 */
async function decoy(ctx: IdpContext, poolId: string, username: string) {
  const secret = await ctx.keys.secret(poolId);
  const mac = (label: string) =>
    createHmac('sha256', secret).update(`${label}:${username.toLowerCase()}`).digest();
  const id = mac('id').toString('hex');
  const userIdForSrp = `${id.slice(0, 8)}-${id.slice(8, 12)}-4${id.slice(13, 16)}-a${id.slice(17, 20)}-${id.slice(20, 32)}`;
  const verifier = modPow(g, BigInt(`0x${mac('x').toString('hex')}`), N).toString(16);
  return { userIdForSrp, salt: mac('salt').subarray(0, 16).toString('hex'), verifier };
}

async function passwordAuth(
  ctx: IdpContext,
  pool: UserPoolSpec,
  client: UserPoolClientSpec,
  params: Record<string, string>,
): Promise<InitiateAuthResponse> {
  assertFlowAllowed(client, 'USER_PASSWORD_AUTH');
  const username = requiredParameter(params, 'USERNAME');
  const password = requiredParameter(params, 'PASSWORD');
  const user = findUser(ctx, pool, username);
  if (!user) throw unknownUserError(client);
  assertNotLockedOut(user, ctx.clock.now().getTime());
  if (!passwordMatches(user, poolNameOf(pool.id), user.sub, password)) throw await failSignIn(ctx, user);
  return { AuthenticationResult: await completeSignIn(ctx, pool, client, user), ChallengeParameters: {} };
}
