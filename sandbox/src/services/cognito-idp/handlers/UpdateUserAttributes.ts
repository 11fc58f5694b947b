import type {
  UpdateUserAttributesRequest,
  UpdateUserAttributesResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { EMAIL, assertAttributeNamesAllowed } from '../attributes';
import { sendCode } from '../codes';
import type { IdpContext } from '../context';
import { IdpErrors } from '../errors';
import { authenticateAccessToken } from '../lookup';
import { attributeList, requiredString } from '../params';

export async function UpdateUserAttributes(
  ctx: IdpContext,
  input: UpdateUserAttributesRequest,
): Promise<UpdateUserAttributesResponse> {
  const { pool, client, user } = await authenticateAccessToken(ctx, requiredString(input, 'AccessToken'));
  const attributes = attributeList(input, 'UserAttributes', true);
  assertAttributeNamesAllowed(attributes, client, 'update');

  const newEmail = attributes.find((a) => a.Name === 'email')?.Value;
  const emailChanged =
    newEmail !== undefined && newEmail.toLowerCase() !== (user.attributes.email ?? '').toLowerCase();
  if (emailChanged) {
    if (!EMAIL.test(newEmail)) throw IdpErrors.invalidParameter('Invalid email address format.');
    const holder = ctx.store.userByEmail(pool.id, newEmail);
    if (holder && holder.sub !== user.sub) throw IdpErrors.aliasExists();
  }
  const keepOriginal = emailChanged && pool.keepOriginalUntilVerified.includes('email');
  for (const { Name, Value } of attributes) {
    if (Name === 'email' && keepOriginal) continue;
    user.attributes[Name] = Value;
  }
  if (newEmail !== undefined) {
    // A new address (or going back to the current one) replaces any change still waiting.
    delete user.pendingEmail;
    delete user.codes.verifyEmail;
  }
  if (keepOriginal) {
    // As Cognito with "keep original attribute value active when an update is pending": the
    // verified address stays (and signs in) until the new one is proven, so nobody can claim an
    // address they cannot read.
    user.pendingEmail = newEmail;
  } else if (emailChanged) {
    // A new address is unverified until the user proves they read it (VerifyUserAttribute).
    user.attributes.email_verified = 'false';
  }
  user.updatedAt = ctx.clock.now().getTime();
  await ctx.store.saveUser(user);
  return { CodeDeliveryDetailsList: emailChanged ? [await sendCode(ctx, user, 'verifyEmail')] : [] };
}
