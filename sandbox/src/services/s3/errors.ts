import { AwsError, notImplemented } from '../../core/errors';

/** S3's error codes with their HTTP status; messages follow S3's wording where clients show them. */
export const s3Errors = {
  notImplemented,
  accessControlListNotSupported: () =>
    new AwsError('AccessControlListNotSupported', 'The bucket does not allow ACLs', 400),
  accessDenied: (message = 'Access Denied') => new AwsError('AccessDenied', message, 403),
  headersNotSigned: (names: readonly string[]) =>
    new AwsError('AccessDenied', 'There were headers present in the request which were not signed', 403, {
      HeadersNotSigned: names.join(', '),
    }),
  signatureDoesNotMatch: () =>
    new AwsError(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      403,
    ),
  invalidAccessKeyId: (accessKeyId: string) =>
    new AwsError(
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
      403,
      {
        AWSAccessKeyId: accessKeyId,
      },
    ),
  invalidToken: () =>
    new AwsError('InvalidToken', 'The provided token is malformed or otherwise invalid.', 400),
  expiredToken: () => new AwsError('ExpiredToken', 'The provided token has expired.', 400),
  requestTimeTooSkewed: (requestTime: string, serverTime: string) =>
    new AwsError(
      'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.',
      403,
      {
        RequestTime: requestTime,
        ServerTime: serverTime,
        MaxAllowedSkewMilliseconds: '900000',
      },
    ),
  authorizationHeaderMalformed: (message: string) =>
    new AwsError('AuthorizationHeaderMalformed', message, 400),
  authorizationQueryParametersError: (message: string) =>
    new AwsError('AuthorizationQueryParametersError', message, 400),
  invalidRequest: (message: string) => new AwsError('InvalidRequest', message, 400),
  sigV2NotSupported: () =>
    new AwsError(
      'InvalidRequest',
      'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.',
      400,
    ),
  invalidArgument: (message: string, name?: string, value?: string) =>
    new AwsError(
      'InvalidArgument',
      message,
      400,
      name === undefined ? {} : { ArgumentName: name, ArgumentValue: value ?? '' },
    ),
  invalidStorageClass: () =>
    new AwsError('InvalidStorageClass', 'The storage class you specified is not valid', 400),
  invalidObjectState: (storageClass: string) =>
    new AwsError('InvalidObjectState', "The operation is not valid for the object's storage class", 403, {
      StorageClass: storageClass,
    }),
  invalidDigest: () => new AwsError('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400),
  badDigest: () =>
    new AwsError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400),
  checksumMismatch: (algorithm: string) =>
    new AwsError('BadDigest', `The ${algorithm} you specified did not match the calculated checksum.`, 400),
  sha256Mismatch: (clientHash: string, computed: string) =>
    new AwsError(
      'XAmzContentSHA256Mismatch',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
      400,
      {
        ClientComputedContentSHA256: clientHash,
        S3ComputedContentSHA256: computed,
      },
    ),
  incompleteBody: () =>
    new AwsError(
      'IncompleteBody',
      'You did not provide the number of bytes specified by the Content-Length HTTP header.',
      400,
    ),
  missingContentLength: () =>
    new AwsError('MissingContentLength', 'You must provide the Content-Length HTTP header.', 411),
  entityTooLarge: () =>
    new AwsError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.', 400),
  keyTooLong: () => new AwsError('KeyTooLongError', 'Your key is too long', 400),
  invalidUri: () => new AwsError('InvalidURI', "Couldn't parse the specified URI.", 400),
  noSuchBucket: (bucket: string) =>
    new AwsError('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket }),
  noSuchKey: (key: string) =>
    new AwsError('NoSuchKey', 'The specified key does not exist.', 404, { Key: key }),
  noSuchVersion: (key: string, versionId: string) =>
    new AwsError('NoSuchVersion', 'The specified version does not exist.', 404, {
      Key: key,
      VersionId: versionId,
    }),
  noSuchUpload: (uploadId: string) =>
    new AwsError(
      'NoSuchUpload',
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      404,
      { UploadId: uploadId },
    ),
  malformedXml: () =>
    new AwsError(
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema',
      400,
    ),
  invalidPart: () =>
    new AwsError(
      'InvalidPart',
      "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
      400,
    ),
  invalidPartOrder: () =>
    new AwsError(
      'InvalidPartOrder',
      'The list of parts was not in ascending order. Parts must be ordered by part number.',
      400,
    ),
  entityTooSmall: () =>
    new AwsError(
      'EntityTooSmall',
      'Your proposed upload is smaller than the minimum allowed object size.',
      400,
    ),
  invalidRange: (size: number) =>
    new AwsError('InvalidRange', 'The requested range is not satisfiable', 416, {
      ActualObjectSize: String(size),
    }),
  preconditionFailed: (condition: string) =>
    new AwsError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, {
      Condition: condition,
    }),
  methodNotAllowed: (method: string) =>
    new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, {
      Method: method,
      ResourceType: 'OBJECT',
    }),
  corsNotEnabled: () =>
    new AwsError('AccessForbidden', 'CORSResponse: CORS is not enabled for this bucket.', 403),
  corsNotAllowed: () =>
    new AwsError(
      'AccessForbidden',
      "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
      403,
    ),
};
