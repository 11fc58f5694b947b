import type { S3Event } from 'aws-lambda';

export const OWNER = 'eu-west-1:aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa';

/** One S3 notification as AWS sends it: the key form-URL-encoded, the sequencer hex. */
export function s3Event(
  eventName:
    'ObjectCreated:Put' | 'ObjectCreated:CompleteMultipartUpload' | 'ObjectRemoved:DeleteMarkerCreated',
  key: string,
  sequencer: string,
  size = 0,
): S3Event {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'eu-west-1',
        eventTime: '2026-12-06T12:00:00.000Z',
        eventName,
        userIdentity: { principalId: 'AWS:AROAEXAMPLE:CognitoIdentityCredentials' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': 'REQ', 'x-amz-id-2': 'ID2' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'pipeline',
          bucket: { name: 'uploads', ownerIdentity: { principalId: 'OWNER' }, arn: 'arn:aws:s3:::uploads' },
          object: {
            key: encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/'),
            size,
            eTag: 'etag',
            sequencer,
          },
        },
      },
    ],
  };
}
