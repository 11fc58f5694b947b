/** The errors Cognito user pools answer with: `__type` names and messages as the real service sends them. */
import { AwsError } from '../../core/errors';

const err = (code: string, message: string) => new AwsError(code, message, 400);

export const IdpErrors = {
  notAuthorized: (message = 'Incorrect username or password.') => err('NotAuthorizedException', message),
  passwordAttemptsExceeded: () => err('NotAuthorizedException', 'Password attempts exceeded'),
  userNotConfirmed: () => err('UserNotConfirmedException', 'User is not confirmed.'),
  userNotFound: () => err('UserNotFoundException', 'User does not exist.'),
  usernameExists: () => err('UsernameExistsException', 'An account with the given email already exists.'),
  aliasExists: () => err('AliasExistsException', 'An account with the given email already exists.'),
  codeMismatch: () => err('CodeMismatchException', 'Invalid verification code provided, please try again.'),
  expiredCode: () => err('ExpiredCodeException', 'Invalid code provided, please request a code again.'),
  invalidPassword: (reason: string) =>
    err('InvalidPasswordException', `Password did not conform with policy: ${reason}`),
  invalidParameter: (message: string) => err('InvalidParameterException', message),
  /** The shape of Cognito's request-validation failures, e.g. "Value null at 'username' ...". */
  validation: (member: string, constraint: string, value: string = 'null') =>
    err(
      'InvalidParameterException',
      `1 validation error detected: Value ${value} at '${member}' failed to satisfy constraint: ${constraint}`,
    ),
  resourceNotFound: (message: string) => err('ResourceNotFoundException', message),
  limitExceeded: () => err('LimitExceededException', 'Attempt limit exceeded, please try after some time.'),
  unsupportedTokenType: () => err('UnsupportedTokenTypeException', 'Unsupported token type.'),
  unauthorizedClient: () => err('UnauthorizedException', 'The token was not issued to this client.'),
  unsupportedOperation: (message: string) => err('UnsupportedOperationException', message),
};
