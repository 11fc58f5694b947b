import type {
  ResendConfirmationCodeRequest,
  ResendConfirmationCodeResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { sendCode, unknownUserDelivery } from '../codes';
import type { IdpContext } from '../context';
import { IdpErrors } from '../errors';
import { findUser, resolveClient } from '../lookup';
import { requiredString } from '../params';

export async function ResendConfirmationCode(
  ctx: IdpContext,
  input: ResendConfirmationCodeRequest,
): Promise<ResendConfirmationCodeResponse> {
  const { pool, client } = resolveClient(ctx, requiredString(input, 'ClientId'));
  const username = requiredString(input, 'Username');
  const user = findUser(ctx, pool, username);
  if (!user) return { CodeDeliveryDetails: unknownUserDelivery(client, username) };
  if (user.status === 'CONFIRMED') throw IdpErrors.invalidParameter('User is already confirmed.');
  if (user.attributes.email === undefined) {
    throw IdpErrors.invalidParameter('There is no email attribute to send the code to.');
  }
  return { CodeDeliveryDetails: await sendCode(ctx, user, 'signUp') };
}
