import type { SignUpRequest, SignUpResponse } from '@aws-sdk/client-cognito-identity-provider';
import { notImplemented } from '../../../core/errors';
import { randomUUID } from 'node:crypto';
import type { IdpContext } from '../context';
import { sendCode } from '../codes';
import { IdpErrors } from '../errors';
import { resolveClient } from '../lookup';
import { attributeList, requiredString } from '../params';
import { assertPasswordAllowed } from '../password-policy';
import { createVerifier, poolNameOf } from '../srp';
import type { UserRecord } from '../store';
import { EMAIL, assertAttributeNamesAllowed } from '../attributes';

export async function SignUp(ctx: IdpContext, input: SignUpRequest): Promise<SignUpResponse> {
  const { pool, client } = resolveClient(ctx, requiredString(input, 'ClientId'));
  const username = requiredString(input, 'Username');
  const password = requiredString(input, 'Password');
  const attributes = attributeList(input, 'UserAttributes', false);
  if (!pool.selfSignUpEnabled) throw IdpErrors.notAuthorized('SignUp is not permitted for this user pool');

  // The sandbox models email-as-username pools (internal username = sub), the kind the app deploys.
  if (!pool.usernameAttributes.includes('email')) {
    throw notImplemented('SignUp in a user pool without email usernames');
  }
  if (!EMAIL.test(username)) throw IdpErrors.invalidParameter('Username should be an email.');
  assertAttributeNamesAllowed(attributes, client, 'signUp');
  const given = Object.fromEntries(attributes.map((a) => [a.Name, a.Value]));
  if (given.email !== undefined && given.email.toLowerCase() !== username.toLowerCase()) {
    throw IdpErrors.invalidParameter('The email attribute must match the username.');
  }
  given.email = username;
  if (ctx.store.userByEmail(pool.id, username)) throw IdpErrors.usernameExists();
  assertPasswordAllowed(password, pool.passwordPolicy);

  const sub = randomUUID();
  const now = ctx.clock.now().getTime();
  const user: UserRecord = {
    poolId: pool.id,
    sub,
    attributes: { ...given, sub, email_verified: 'false' },
    // With email usernames the SRP user id is the sub, so the verifier is bound to it.
    ...createVerifier(poolNameOf(pool.id), sub, password),
    status: 'UNCONFIRMED',
    enabled: true,
    groups: [],
    createdAt: now,
    updatedAt: now,
    codes: {},
    codeSends: [],
    signInFailures: [],
    lockouts: 0,
  };
  await ctx.store.saveUser(user);
  ctx.logger.info(`user signed up: ${username}`, { userPoolId: pool.id, sub });
  const sendsEmailCode = pool.autoVerifiedAttributes.includes('email');
  const CodeDeliveryDetails = sendsEmailCode ? await sendCode(ctx, user, 'signUp') : undefined;
  return { UserConfirmed: false, UserSub: sub, ...(CodeDeliveryDetails ? { CodeDeliveryDetails } : {}) };
}
