import type { GetUserRequest, GetUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import type { IdpContext } from '../context';
import { attributeList, authenticateAccessToken } from '../lookup';
import { requiredString } from '../params';

export async function GetUser(ctx: IdpContext, input: GetUserRequest): Promise<GetUserResponse> {
  const { client, user } = await authenticateAccessToken(ctx, requiredString(input, 'AccessToken'));
  return { Username: user.sub, UserAttributes: attributeList(user, client.readAttributes) };
}
