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
