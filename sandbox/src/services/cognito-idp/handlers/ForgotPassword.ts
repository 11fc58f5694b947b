import type {
  ForgotPasswordRequest,
  ForgotPasswordResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { sendCode, unknownUserDelivery } from '../codes';
import type { IdpContext } from '../context';
import { IdpErrors } from '../errors';
import { findUser, resolveClient } from '../lookup';
import { requiredString } from '../params';

export async function ForgotPassword(
  ctx: IdpContext,
  input: ForgotPasswordRequest,
): Promise<ForgotPasswordResponse> {
  const { pool, client } = resolveClient(ctx, requiredString(input, 'ClientId'));
  const username = requiredString(input, 'Username');
  const user = findUser(ctx, pool, username);
  if (!user) return { CodeDeliveryDetails: unknownUserDelivery(client, username) };
  if (!user.enabled) throw IdpErrors.notAuthorized('User is disabled.');
  if (user.attributes.email === undefined || user.attributes.email_verified !== 'true') {
    throw IdpErrors.invalidParameter(
      'Cannot reset password for the user as there is no registered/verified email or phone_number',
    );
  }
  return { CodeDeliveryDetails: await sendCode(ctx, user, 'resetPassword') };
}
