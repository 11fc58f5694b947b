import type {
  GetUserAttributeVerificationCodeRequest,
  GetUserAttributeVerificationCodeResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { sendCode } from '../codes';
import type { IdpContext } from '../context';
import { IdpErrors } from '../errors';
import { authenticateAccessToken } from '../lookup';
import { requiredString } from '../params';

export async function GetUserAttributeVerificationCode(
  ctx: IdpContext,
  input: GetUserAttributeVerificationCodeRequest,
): Promise<GetUserAttributeVerificationCodeResponse> {
  const { user } = await authenticateAccessToken(ctx, requiredString(input, 'AccessToken'));
  const name = requiredString(input, 'AttributeName');
  if (name !== 'email' || user.attributes.email === undefined) {
    throw IdpErrors.invalidParameter(`Attribute ${name} cannot be verified.`);
  }
  return { CodeDeliveryDetails: await sendCode(ctx, user, 'verifyEmail') };
}
