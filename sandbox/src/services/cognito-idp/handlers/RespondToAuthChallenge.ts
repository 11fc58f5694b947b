import type {
  RespondToAuthChallengeRequest,
  RespondToAuthChallengeResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { timingSafeEqual } from 'node:crypto';
import { notImplemented } from '../../../core/errors';
import type { IdpContext } from '../context';
import { IdpErrors } from '../errors';
import { completeSignIn, failSignIn } from '../flows';
import { findUser, resolveClient } from '../lookup';
import { optionalString, requiredParameter, requiredString, stringMap } from '../params';
import { parseSrpTimestamp, passwordClaimSignature, poolNameOf, sessionKey } from '../srp';
import { assertNotLockedOut } from '../throttle';

/** How far the client's TIMESTAMP may be from the server clock, either way. */
const TIMESTAMP_TOLERANCE_MS = 5 * 60 * 1000;

export async function RespondToAuthChallenge(
  ctx: IdpContext,
  input: RespondToAuthChallengeRequest,
): Promise<RespondToAuthChallengeResponse> {
  const challengeName = requiredString(input, 'ChallengeName');
  const { pool, client } = resolveClient(ctx, requiredString(input, 'ClientId'));
  if (challengeName !== 'PASSWORD_VERIFIER') {
    // The sandbox never issues the MFA / new-password challenges, so no valid session can carry one.
    throw notImplemented(`RespondToAuthChallenge with ChallengeName ${challengeName}`);
  }
  const responses = stringMap(input, 'ChallengeResponses');
  const username = requiredParameter(responses, 'USERNAME');
  const secretBlock = requiredParameter(responses, 'PASSWORD_CLAIM_SECRET_BLOCK');
  const timestamp = requiredParameter(responses, 'TIMESTAMP');
  const signature = requiredParameter(responses, 'PASSWORD_CLAIM_SIGNATURE');
  const sessionToken = optionalString(input, 'Session');

  const now = ctx.clock.now().getTime();
  const challenge = ctx.challenges.take(secretBlock);
  if (!challenge || challenge.expiresAt <= now) {
    throw IdpErrors.notAuthorized('Invalid session for the user, session is expired.');
  }
  if (challenge.poolId !== pool.id || challenge.clientId !== client.clientId) {
    throw IdpErrors.notAuthorized('Invalid session for the user.');
  }
  if (sessionToken !== undefined && sessionToken !== challenge.session) {
    throw IdpErrors.notAuthorized('Invalid session for the user.');
  }
  const claimedAt = parseSrpTimestamp(timestamp);
  if (!claimedAt)
    throw IdpErrors.invalidParameter('TIMESTAMP must be of the form "ddd MMM D HH:mm:ss UTC YYYY".');
  if (Math.abs(claimedAt.getTime() - now) > TIMESTAMP_TOLERANCE_MS) {
    throw IdpErrors.notAuthorized('TIMESTAMP is too far from the current time.');
  }

  // A decoy challenge (unknown user) can never be answered correctly.
  if (challenge.sub === undefined) throw IdpErrors.notAuthorized();
  const user = ctx.store.user(pool.id, challenge.sub);
  if (!user || findUser(ctx, pool, username)?.sub !== user.sub) throw IdpErrors.notAuthorized();
  // A password change since InitiateAuth invalidates the challenge computed from the old verifier.
  if (user.verifier !== challenge.verifier) throw IdpErrors.notAuthorized();
  assertNotLockedOut(user, now);

  const key = sessionKey(BigInt(`0x${challenge.A}`), challenge.ephemeral, challenge.verifier);
  const expected = key
    ? passwordClaimSignature(
        key,
        poolNameOf(pool.id),
        challenge.userIdForSrp,
        Buffer.from(secretBlock, 'base64'),
        timestamp,
      )
    : undefined;
  const given = Buffer.from(signature, 'base64');
  if (!expected || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw await failSignIn(ctx, user);
  }
  return { AuthenticationResult: await completeSignIn(ctx, pool, client, user), ChallengeParameters: {} };
}
