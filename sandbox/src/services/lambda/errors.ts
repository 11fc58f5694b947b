import { AwsError } from '../../core/errors';

/** The errors Lambda's API answers with (restJson1: the code travels in x-amzn-ErrorType). */
export const lambdaErrors = {
  functionNotFound: (arn: string) =>
    new AwsError('ResourceNotFoundException', `Function not found: ${arn}`, 404),
  notRunnable: (name: string, reason: string) =>
    new AwsError('NotImplemented', `The sandbox does not run the function ${name}: ${reason}.`, 501),
  roleNotAssumable: () =>
    new AwsError(
      'InvalidParameterValueException',
      'The role defined for the function cannot be assumed by Lambda.',
    ),
  throttled: () => new AwsError('TooManyRequestsException', 'Rate Exceeded.', 429),
  accessDenied: (principal: string, arn: string) =>
    new AwsError(
      'AccessDeniedException',
      `User: ${principal} is not authorized to perform: lambda:InvokeFunction on resource: ${arn} because no identity-based policy allows the lambda:InvokeFunction action`,
      403,
    ),
  serviceDenied: (service: string, arn: string) =>
    new AwsError(
      'AccessDeniedException',
      `The resource policy of ${arn} does not allow ${service} to perform lambda:InvokeFunction`,
      403,
    ),
  missingAuthentication: () =>
    new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403),
  unrecognizedClient: () =>
    new AwsError(
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
      403,
    ),
  expiredToken: () =>
    new AwsError('ExpiredTokenException', 'The security token included in the request is expired', 403),
  invalidSignature: (message: string) => new AwsError('InvalidSignatureException', message, 403),
  invalidRequestContent: (message: string) => new AwsError('InvalidRequestContentException', message),
  invalidParameter: (message: string) => new AwsError('InvalidParameterValueException', message),
  requestTooLarge: (limit: number) =>
    new AwsError(
      'RequestEntityTooLargeException',
      `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
      413,
    ),
};
