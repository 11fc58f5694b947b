import { loadAppConfig } from '../lib/config';

const base = { appName: 'ImageShare', stage: 'dev', allowedOrigins: ['http://localhost:3000'] };
const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';

describe('loadAppConfig', () => {
  test('accepts the cdk.json defaults', () => {
    expect(loadAppConfig(base)).toEqual({
      appName: 'ImageShare',
      stage: 'dev',
      allowedOrigins: ['http://localhost:3000'],
    });
  });

  test('accepts a comma-separated origin list, as -c allowedOrigins=a,b passes it', () => {
    const config = loadAppConfig({ ...base, allowedOrigins: 'https://a.example.com, https://b.example.com' });
    expect(config.allowedOrigins).toEqual(['https://a.example.com', 'https://b.example.com']);
  });

  test('accepts a JSON array string of origins', () => {
    const config = loadAppConfig({ ...base, allowedOrigins: '["https://a.example.com"]' });
    expect(config.allowedOrigins).toEqual(['https://a.example.com']);
  });

  test.each(['Image Share', '1mageShare', 'Image_Share', ''])('rejects the appName "%s"', (appName) => {
    expect(() => loadAppConfig({ ...base, appName })).toThrow(/appName must start with a letter/);
  });

  test('rejects a missing appName', () => {
    expect(() => loadAppConfig({ ...base, appName: undefined })).toThrow(/appName is required/);
  });

  test('rejects an unknown stage', () => {
    expect(() => loadAppConfig({ ...base, stage: 'staging' })).toThrow(/stage must be "dev" or "prod"/);
  });

  test('refuses "*" origins in prod', () => {
    expect(() => loadAppConfig({ ...base, stage: 'prod', allowedOrigins: ['*'] })).toThrow(
      /must not contain "\*" in prod/,
    );
  });

  test('allows "*" origins in dev', () => {
    expect(loadAppConfig({ ...base, allowedOrigins: '*' }).allowedOrigins).toEqual(['*']);
  });

  test('refuses plain http origins in prod', () => {
    expect(() => loadAppConfig({ ...base, stage: 'prod' })).toThrow(/in prod must be https/);
  });

  test.each([
    ['https://app.example.com/', /not a bare origin/],
    ['https://app.example.com/path', /not a bare origin/],
    ['app.example.com', /not a URL/],
    ['ftp://app.example.com', /must use http or https/],
  ])('rejects the origin %s', (origin, message) => {
    expect(() => loadAppConfig({ ...base, allowedOrigins: [origin] })).toThrow(message);
  });

  test('rejects an empty origin list', () => {
    expect(() => loadAppConfig({ ...base, allowedOrigins: [] })).toThrow(/at least one origin/);
  });

  test('reads a custom domain with its certificate', () => {
    const config = loadAppConfig({ ...base, domainName: 'images.example.com', certificateArn: CERT });
    expect(config.customDomain).toEqual({ domainName: 'images.example.com', certificateArn: CERT });
  });

  test('rejects a domain without a certificate', () => {
    expect(() => loadAppConfig({ ...base, domainName: 'images.example.com' })).toThrow(/set both or neither/);
  });

  test('rejects a certificate outside us-east-1', () => {
    expect(() =>
      loadAppConfig({
        ...base,
        domainName: 'images.example.com',
        certificateArn: CERT.replace('us-east-1', 'eu-west-1'),
      }),
    ).toThrow(/in us-east-1/);
  });

  test('names every problem at once', () => {
    expect(() => loadAppConfig({ appName: '-', stage: 'prod', allowedOrigins: ['*'] })).toThrow(
      /appName[\s\S]*allowedOrigins/,
    );
  });
});

describe('loadAppConfig: emailSender', () => {
  const sender = { fromAddress: 'noreply@example.com', sesIdentity: 'example.com', sesRegion: 'eu-west-1' };
  const ARN = 'arn:aws:ses:eu-west-1:123456789012:identity/example.com';
  const load = (emailSender: unknown) => loadAppConfig({ ...base, emailSender }).emailSender;

  test('is absent by default (Cognito sends the mail)', () => {
    expect(loadAppConfig(base).emailSender).toBeUndefined();
  });

  test('reads a domain identity with its region, display name and reply-to', () => {
    expect(load({ ...sender, displayName: 'Snapshelf', replyTo: 'help@example.com' })).toEqual({
      fromAddress: 'noreply@example.com',
      displayName: 'Snapshelf',
      replyTo: 'help@example.com',
      sesIdentity: { name: 'example.com', region: 'eu-west-1' },
    });
  });

  test('reads the JSON string that -c emailSender=... passes', () => {
    expect(load(JSON.stringify(sender))?.sesIdentity.name).toBe('example.com');
  });

  test('takes the region from an identity ARN and keeps the ARN as written', () => {
    expect(load({ fromAddress: 'noreply@example.com', sesIdentity: ARN })?.sesIdentity).toEqual({
      name: 'example.com',
      region: 'eu-west-1',
      arn: ARN,
    });
  });

  test('accepts an address identity equal to the From address, domains compared case-insensitively', () => {
    expect(
      load({ ...sender, fromAddress: 'NoReply@Example.COM', sesIdentity: 'NoReply@example.com' }),
    ).toEqual(
      expect.objectContaining({
        fromAddress: 'NoReply@example.com',
        sesIdentity: { name: 'NoReply@example.com', region: 'eu-west-1' },
      }),
    );
  });

  test.each([
    [
      'a missing sesRegion with an identity name',
      { ...sender, sesRegion: undefined },
      /sesRegion: sesRegion is required/,
    ],
    ['a region that is not one', { ...sender, sesRegion: 'europe' }, /sesRegion must be an AWS region/],
    [
      'an ARN in another partition',
      { ...sender, sesIdentity: ARN.replace(':aws:', ':aws-cn:'), sesRegion: undefined },
      /partition "aws-cn", but eu-west-1 belongs to "aws"/,
    ],
    [
      'an ARN in another region than sesRegion',
      { ...sender, sesIdentity: ARN, sesRegion: 'us-east-1' },
      /differs from the region of the sesIdentity ARN \(eu-west-1\)/,
    ],
    [
      'an ARN of another service',
      { ...sender, sesIdentity: 'arn:aws:sns:eu-west-1:123456789012:identity/example.com' },
      /not an SES identity ARN/,
    ],
    [
      'an identity of another domain',
      { ...sender, sesIdentity: 'example.org' },
      /example\.org does not cover fromAddress noreply@example\.com/,
    ],
    [
      'a parent domain of the From address',
      { ...sender, fromAddress: 'noreply@mail.example.com' },
      /does not cover/,
    ],
    ['another address as identity', { ...sender, sesIdentity: 'admin@example.com' }, /does not cover/],
    [
      'an identity that is neither domain nor address',
      { ...sender, sesIdentity: 'example com' },
      /neither a domain nor an email address/,
    ],
    [
      'a header injected into the From address',
      { ...sender, fromAddress: 'noreply@example.com\r\nBcc: all@example.net' },
      /fromAddress must be a plain email address/,
    ],
    [
      'a display name with a line break',
      { ...sender, displayName: 'Snapshelf\r\nBcc: all@example.net' },
      /displayName must be 1-64 characters without control characters/,
    ],
    ['a display name too long', { ...sender, displayName: 'x'.repeat(65) }, /displayName must be 1-64/],
    [
      'a reply-to that is no address',
      { ...sender, replyTo: 'support' },
      /replyTo must be a plain email address/,
    ],
    [
      'a non-ASCII local part',
      { ...sender, fromAddress: 'nöreply@example.com' },
      /fromAddress must be a plain email address/,
    ],
    ['an unknown key', { ...sender, configurationSet: 'x' }, /unknown key\(s\) configurationSet/],
    ['a string that is no JSON object', 'noreply@example.com', /emailSender must be an object/],
    [
      'a missing From address',
      { sesIdentity: 'example.com', sesRegion: 'eu-west-1' },
      /fromAddress is required/,
    ],
  ])('refuses %s', (_name, emailSender, message) => {
    expect(() => load(emailSender)).toThrow(message);
  });
});
