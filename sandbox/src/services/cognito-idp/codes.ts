/**
 * One-time codes (sign-up confirmation, password reset, email verification). They go to the local
 * mailbox, which also prints them to the console; nothing is ever sent off the machine.
 */
import type { CodeDeliveryDetailsType } from '@aws-sdk/client-cognito-identity-provider';
import { randomInt } from 'node:crypto';
import type { UserPoolClientSpec } from '../../deploy/model';
import type { IdpContext } from './context';
import { IdpErrors } from './errors';
import { maskEmail } from './lookup';
import type { CodePurpose, UserRecord } from './store';

const HOUR_MS = 60 * 60 * 1000;
const CODE_LIFETIME_MS: Record<CodePurpose, number> = {
  signUp: 24 * HOUR_MS,
  resetPassword: HOUR_MS,
  verifyEmail: 24 * HOUR_MS,
};
const MAX_CODE_SENDS_PER_HOUR = 5;
const MAX_CODE_ATTEMPTS = 5;

const SUBJECTS: Record<CodePurpose, string> = {
  signUp: 'Your verification code',
  resetPassword: 'Your password reset code',
  verifyEmail: 'Your verification code',
};

function deliveryDetails(email: string): CodeDeliveryDetailsType {
  return { Destination: maskEmail(email), DeliveryMedium: 'EMAIL', AttributeName: 'email' };
}

/**
 * A code request for a user that does not exist: UserNotFoundException, or with existence errors
 * prevented the answer a real account gets, so the response does not reveal whether it exists.
 */
export function unknownUserDelivery(client: UserPoolClientSpec, username: string): CodeDeliveryDetailsType {
  if (!client.preventUserExistenceErrors) throw IdpErrors.userNotFound();
  return deliveryDetails(username.includes('@') ? username : 'x@x');
}

/** Replaces any earlier code for the same purpose; refuses past the hourly send limit. */
export async function sendCode(
  ctx: IdpContext,
  user: UserRecord,
  purpose: CodePurpose,
): Promise<CodeDeliveryDetailsType> {
  const now = ctx.clock.now().getTime();
  user.codeSends = user.codeSends.filter((t) => t > now - HOUR_MS);
  if (user.codeSends.length >= MAX_CODE_SENDS_PER_HOUR) throw IdpErrors.limitExceeded();
  user.codeSends.push(now);
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  user.codes[purpose] = { code, expiresAt: now + CODE_LIFETIME_MS[purpose], failedAttempts: 0 };
  await ctx.store.saveUser(user);
  // A pending new email is the address being proven, so its code goes there.
  const to = (purpose === 'verifyEmail' ? user.pendingEmail : undefined) ?? user.attributes.email ?? '';
  await ctx.mailbox.send({ to, subject: SUBJECTS[purpose], body: `Your code is ${code}`, code });
  return deliveryDetails(to);
}

/**
 * Checks and consumes a code. A wrong code counts an attempt (persisted); after five the code is
 * dead and the caller must request a new one.
 */
export async function consumeCode(
  ctx: IdpContext,
  user: UserRecord,
  purpose: CodePurpose,
  code: string,
): Promise<void> {
  const record = user.codes[purpose];
  const now = ctx.clock.now().getTime();
  if (!record) throw IdpErrors.codeMismatch();
  if (record.failedAttempts >= MAX_CODE_ATTEMPTS) throw IdpErrors.limitExceeded();
  if (now >= record.expiresAt) throw IdpErrors.expiredCode();
  if (record.code !== code) {
    record.failedAttempts += 1;
    await ctx.store.saveUser(user);
    throw IdpErrors.codeMismatch();
  }
  delete user.codes[purpose];
}
