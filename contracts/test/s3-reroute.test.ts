import { parseS3Host, S3_REROUTE_PREFIX, toSandboxUrl } from '../src/s3-reroute';

describe('parseS3Host', () => {
  test.each([
    ['photos.s3.us-east-1.amazonaws.com', { bucket: 'photos' }],
    ['photos.s3.amazonaws.com', { bucket: 'photos' }],
    ['photos.s3-eu-west-1.amazonaws.com', { bucket: 'photos' }],
    ['photos.s3.dualstack.eu-west-1.amazonaws.com', { bucket: 'photos' }],
    ['my.dotted.bucket.s3.eu-west-1.amazonaws.com', { bucket: 'my.dotted.bucket' }],
    ['photos.s3.cn-north-1.amazonaws.com.cn', { bucket: 'photos' }],
    ['PHOTOS.S3.AMAZONAWS.COM', { bucket: 'photos' }],
    ['s3.amazonaws.com', {}],
    ['s3.eu-west-1.amazonaws.com', {}],
    ['s3-eu-west-1.amazonaws.com', {}],
    ['s3.dualstack.eu-west-1.amazonaws.com', {}],
  ])('%s is S3 (%j)', (host, expected) => {
    expect(parseS3Host(host)).toEqual(expected);
  });

  test.each([
    'cognito-idp.eu-west-1.amazonaws.com',
    'nots3.amazonaws.com',
    's3.amazonaws.com.evil.example',
    'photos.s3.amazonaws.com.evil.example',
    'amazonaws.com',
    '127.0.0.1',
  ])('%s is not S3', (host) => {
    expect(parseS3Host(host)).toBeUndefined();
  });
});

describe('toSandboxUrl', () => {
  test('keeps the signed host, path and query (encoding included) under the reroute prefix', () => {
    const url = new URL(
      'https://photos.s3.eu-west-1.amazonaws.com/public/a%20b%2Bc.png?x-id=GetObject&a=%2F',
    );
    expect(toSandboxUrl(url, 'http://127.0.0.1:4510/')).toBe(
      `http://127.0.0.1:4510${S3_REROUTE_PREFIX}photos.s3.eu-west-1.amazonaws.com/public/a%20b%2Bc.png?x-id=GetObject&a=%2F`,
    );
  });

  test('leaves plain http and other hosts alone', () => {
    expect(
      toSandboxUrl(new URL('http://photos.s3.amazonaws.com/a.png'), 'http://127.0.0.1:4510'),
    ).toBeUndefined();
    expect(toSandboxUrl(new URL('https://example.com/a.png'), 'http://127.0.0.1:4510')).toBeUndefined();
  });
});
