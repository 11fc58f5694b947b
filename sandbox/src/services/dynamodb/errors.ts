import { AwsError, notImplemented } from '../../core/errors';

/**
 * DynamoDB's errors: JSON `{"__type": "<namespace>#<Code>", "message": ...}`. Authentication and
 * protocol errors come from the coral framework's namespace, validation from its validator's, the
 * rest from DynamoDB's own; the SDK keeps only the part after `#`.
 */
const CORAL = 'com.amazon.coral.service#';
const VALIDATE = 'com.amazon.coral.validate#';
const DYNAMODB = 'com.amazonaws.dynamodb.v20120810#';

/** The wire `__type` of an error this service throws (the namespace travels in `details`). */
export function wireType(err: AwsError): string {
  return `${err.details.namespace ?? ''}${err.code}`;
}

const coral = (code: string, message: string, status = 400) =>
  new AwsError(code, message, status, { namespace: CORAL });

export const dynamoDbErrors = {
  notImplemented,
  missingAuthenticationToken: () =>
    coral('MissingAuthenticationTokenException', 'Request is missing Authentication Token'),
  incompleteSignature: (message: string) => coral('IncompleteSignatureException', message),
  invalidSignature: (message: string) => coral('InvalidSignatureException', message),
  signatureDoesNotMatch: () =>
    coral(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    ),
  unrecognizedClient: () =>
    coral('UnrecognizedClientException', 'The security token included in the request is invalid.'),
  expiredToken: () => coral('ExpiredTokenException', 'The security token included in the request is expired'),
  accessDenied: (principalArn: string, action: string, resource: string, explicit: boolean) =>
    coral(
      'AccessDeniedException',
      `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} ` +
        (explicit
          ? `with an explicit deny in an identity-based or resource-based policy`
          : `because no identity-based policy allows the ${action} action`),
    ),
  serialization: (message: string) => coral('SerializationException', message),
  unknownOperation: (target: string) => coral('UnknownOperationException', `Unknown operation ${target}`),
  requestTooLarge: (limit: number) =>
    coral('RequestEntityTooLargeException', `Request size exceeds ${limit} bytes`, 413),
  resourceNotFound: () =>
    new AwsError('ResourceNotFoundException', 'Requested resource not found', 400, { namespace: DYNAMODB }),
  validation: (message: string) => new AwsError('ValidationException', message, 400, { namespace: VALIDATE }),
  internal: () => new AwsError('InternalServerError', 'Internal server error', 500, { namespace: DYNAMODB }),
};

/** An error dynalite answered with (`{statusCode, body: {__type, message}}`), as the same AwsError. */
export function fromDynaliteError(
  statusCode: number,
  body: { __type?: unknown; message?: unknown },
): AwsError {
  const type = typeof body.__type === 'string' ? body.__type : `${DYNAMODB}InternalServerError`;
  const hash = type.indexOf('#');
  return new AwsError(
    type.slice(hash + 1),
    typeof body.message === 'string' ? body.message : '',
    statusCode,
    { namespace: type.slice(0, hash + 1) },
  );
}
