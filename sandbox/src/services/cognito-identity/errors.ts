/** The errors Cognito identity pools answer with (`__type` names and messages as AWS sends them). */
import { AwsError } from '../../core/errors';

const err = (code: string, message: string) => new AwsError(code, message, 400);

export const IdentityErrors = {
  poolNotFound: (id: string) => err('ResourceNotFoundException', `IdentityPool '${id}' not found.`),
  identityNotFound: (id: string) => err('ResourceNotFoundException', `Identity '${id}' not found.`),
  guestsDisabled: () =>
    err('NotAuthorizedException', 'Unauthenticated access is not supported for this identity pool.'),
  loginsDontMatch: () =>
    err(
      'NotAuthorizedException',
      "Logins don't match. Please include at least one valid login for this identity or identity pool.",
    ),
  invalidLoginToken: (detail: string) => err('NotAuthorizedException', `Invalid login token. ${detail}`),
  unsupportedProvider: () =>
    err('NotAuthorizedException', 'Token is not from a supported provider of this identity pool.'),
  roleDenied: (detail: string) => err('NotAuthorizedException', detail),
  invalidPoolConfiguration: () =>
    err(
      'InvalidIdentityPoolConfigurationException',
      'Invalid identity pool configuration. Check assigned IAM roles for this pool.',
    ),
  validation: (member: string, constraint: string, value: string) =>
    err(
      'InvalidParameterException',
      `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`,
    ),
};
