import { Match, type Template } from 'aws-cdk-lib/assertions';
import { USER_CONTENT_CSP } from '../../lib/cdn/public-cdn';
import { createTestApp, PROD_CONTEXT, templatesOf } from '../support/test-app';

const DISTRIBUTION = 'PublicCdnDistribution6339D138';
const BUCKET_ARN = { 'Fn::GetAtt': ['UploadsBucketC4B27CC7', 'Arn'] };
const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';

type Statement = { Principal?: { Service?: string }; Resource: unknown };
const cloudFrontStatements = (template: Template): Statement[] =>
  Object.values(template.findResources('AWS::S3::BucketPolicy')).flatMap((policy) =>
    (policy.Properties.PolicyDocument.Statement as Statement[]).filter(
      (s) => s.Principal?.Service === 'cloudfront.amazonaws.com',
    ),
  );

describe('PublicCdn', () => {
  let dev: Template;
  let prod: Template;
  let custom: Template;
  beforeAll(() => {
    dev = templatesOf(createTestApp()).storage;
    prod = templatesOf(createTestApp(PROD_CONTEXT)).storage;
    custom = templatesOf(createTestApp({ domainName: 'images.example.com', certificateArn: CERT })).storage;
  });

  test('keeps the distribution logical id (changing it changes PublicBaseUrl)', () => {
    expect(Object.keys(dev.findResources('AWS::CloudFront::Distribution'))).toEqual([DISTRIBUTION]);
  });

  test('reads the bucket through its own Origin Access Control, rooted at public/', () => {
    dev.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      }),
    });
    dev.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Origins: [
          Match.objectLike({
            OriginPath: '/public',
            OriginAccessControlId: {
              'Fn::GetAtt': [Match.stringLikeRegexp('^PublicCdnOriginAccessControl'), 'Id'],
            },
            S3OriginConfig: { OriginAccessIdentity: '' },
          }),
        ],
      }),
    });
  });

  test('the bucket policy lets this distribution read public/* only', () => {
    expect(cloudFrontStatements(dev)).toEqual([
      {
        Sid: 'CloudFrontReadsPublicFolder',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Resource: { 'Fn::Join': ['', [BUCKET_ARN, '/public/*']] },
        Condition: {
          StringEquals: {
            'AWS:SourceArn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':cloudfront::',
                  { Ref: 'AWS::AccountId' },
                  ':distribution/',
                  { Ref: DISTRIBUTION },
                ],
              ],
            },
          },
        },
      },
    ]);
  });

  test('no CloudFront grant covers the whole bucket (the withOriginAccessControl pitfall)', () => {
    for (const statement of cloudFrontStatements(dev)) {
      expect(statement.Resource).not.toEqual({ 'Fn::Join': ['', [BUCKET_ARN, '/*']] });
    }
  });

  test('redirects to HTTPS, serves GET/HEAD only, with the caching-optimised policy', () => {
    dev.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'redirect-to-https',
          AllowedMethods: ['GET', 'HEAD'],
          CachedMethods: ['GET', 'HEAD'],
          CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6',
        }),
      }),
    });
  });

  test('adds the security headers and a CSP that keeps uploaded files from running script', () => {
    expect(USER_CONTENT_CSP).toBe("default-src 'none'; img-src 'self'; sandbox");
    dev.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: {
          ContentSecurityPolicy: { ContentSecurityPolicy: USER_CONTENT_CSP, Override: true },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'SAMEORIGIN', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
          StrictTransportSecurity: { AccessControlMaxAgeSec: 31536000, Override: true },
          XSSProtection: { Protection: true, ModeBlock: true, Override: true },
        },
      }),
    });
    dev.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({
          ResponseHeadersPolicyId: { Ref: Match.stringLikeRegexp('^PublicCdnUserContentHeaders') },
        }),
      }),
    });
  });

  test('forces Content-Disposition: inline over whatever the object says', () => {
    dev.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        CustomHeadersConfig: {
          Items: [{ Header: 'Content-Disposition', Value: 'inline', Override: true }],
        },
      }),
    });
  });

  test('PublicBaseUrl is https://<distribution domain>', () => {
    dev.hasOutput('PublicBaseUrl', {
      Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [DISTRIBUTION, 'DomainName'] }]] },
    });
  });

  test('dev: no access logs', () => {
    dev.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ Logging: Match.absent() }),
    });
  });

  test('prod: logs to the access logs bucket', () => {
    prod.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Logging: {
          Bucket: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AccessLogsBucket'), 'RegionalDomainName'] },
          Prefix: 'cdn/',
        },
      }),
    });
  });

  test('with a custom domain: serves it with the certificate over TLS 1.2 or newer', () => {
    custom.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['images.example.com'],
        ViewerCertificate: {
          AcmCertificateArn: CERT,
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        },
      }),
    });
  });

  test('with a custom domain: PublicBaseUrl is https://<domain>', () => {
    custom.hasOutput('PublicBaseUrl', { Value: 'https://images.example.com' });
  });
});
