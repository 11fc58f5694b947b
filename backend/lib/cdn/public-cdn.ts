import { Duration, Validations } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface PublicCdnProps {
  /** The uploads bucket; only `<folder>/` of it is served. */
  readonly bucket: s3.IBucket;
  /** The top-level folder served at the distribution's root, e.g. `public`. */
  readonly folder: string;
  /**
   * Serve from this domain with this certificate (TLS 1.2 or newer).
   * @default - the distribution's `*.cloudfront.net` domain and certificate
   */
  readonly customDomain?: { readonly domainName: string; readonly certificate: acm.ICertificate };
  /**
   * Where CloudFront standard logs go (prefix `cdn/`).
   * @default - no access logs
   */
  readonly logBucket?: s3.IBucket;
}

/** Uploaded files must never run as a page: no script, no plugins, no forms, sandboxed. */
export const USER_CONTENT_CSP = "default-src 'none'; img-src 'self'; sandbox";

/**
 * CloudFront over one folder of the bucket, reading through Origin Access Control.
 *
 * `S3BucketOrigin.withOriginAccessControl` would grant the distribution `s3:GetObject` on
 * `bucket/*` (the origin path does not narrow it), so private files would be one URL away.
 * This construct wires the OAC itself and grants `bucket/<folder>/*` only, to this
 * distribution only.
 */
export class PublicCdn extends Construct {
  public readonly distribution: cloudfront.Distribution;
  /** `https://<domain>` with no trailing slash; `<base>/<id>/<file>` serves `<folder>/<id>/<file>`. */
  public readonly baseUrl: string;

  constructor(scope: Construct, id: string, props: PublicCdnProps) {
    super(scope, id);
    const originAccessControl = new cloudfront.S3OriginAccessControl(this, 'OriginAccessControl', {
      description: `Signed reads of ${props.folder}/ in the uploads bucket`,
      signing: cloudfront.Signing.SIGV4_ALWAYS,
    });

    const responseHeadersPolicy = new cloudfront.ResponseHeadersPolicy(this, 'UserContentHeaders', {
      comment: 'Managed security headers plus a CSP that keeps uploaded SVG/HTML from running',
      // The same values as the managed SecurityHeadersPolicy, which cannot be extended with a CSP.
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: USER_CONTENT_CSP, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.SAMEORIGIN, override: true },
        referrerPolicy: {
          referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), override: true },
        xssProtection: { protection: true, modeBlock: true, override: true },
      },
      // Whatever an object's metadata says, the browser shows it and never saves it as a download
      // (an uploaded .exe or .html must not be offered from our domain).
      customHeadersBehavior: {
        customHeaders: [{ header: 'Content-Disposition', value: 'inline', override: true }],
      },
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `Public images (${props.folder}/ of the uploads bucket)`,
      defaultBehavior: {
        origin: new FolderOacOrigin(props.bucket, originAccessControl, { originPath: `/${props.folder}` }),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy,
        compress: true,
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      ...(props.customDomain
        ? {
            domainNames: [props.customDomain.domainName],
            certificate: props.customDomain.certificate,
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      ...(props.logBucket ? { enableLogging: true, logBucket: props.logBucket, logFilePrefix: 'cdn/' } : {}),
    });

    props.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudFrontReadsPublicFolder',
        principals: [new iam.ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject'],
        resources: [props.bucket.arnForObjects(`${props.folder}/*`)],
        conditions: { StringEquals: { 'AWS:SourceArn': this.distribution.distributionArn } },
      }),
    );

    this.baseUrl = `https://${props.customDomain ? props.customDomain.domainName : this.distribution.distributionDomainName}`;

    const acknowledge = (id: string, reason: string) =>
      Validations.of(this.distribution).acknowledge({ id: `AwsSolutions-${id}`, reason });
    acknowledge(
      'CFR1',
      'Public images are meant for everyone; there is no country the content must be kept from.',
    );
    acknowledge(
      'CFR2',
      'Read-only GET/HEAD of static objects behind a caching policy; WAF (billed per rule and request) is a per-deployment decision to add when abuse shows up.',
    );
    if (!props.logBucket) {
      acknowledge(
        'CFR3',
        'Dev stage: no CloudFront access logs; the prod stage writes them to the access logs bucket.',
      );
    }
    if (!props.customDomain) {
      acknowledge(
        'CFR4',
        'Without a custom domain CloudFront serves its default *.cloudfront.net certificate, whose TLS policy cannot be set; configuring domainName + certificateArn enforces TLS 1.2 or newer.',
      );
    }
  }
}

/** An S3 origin that signs with the given OAC and leaves the bucket policy to its caller. */
class FolderOacOrigin extends origins.S3BucketOrigin {
  constructor(
    bucket: s3.IBucket,
    private readonly originAccessControl: cloudfront.IOriginAccessControl,
    props: origins.S3BucketOriginBaseProps,
  ) {
    super(bucket, props);
  }

  public override bind(scope: Construct, options: cloudfront.OriginBindOptions): cloudfront.OriginBindConfig {
    const config = super.bind(scope, options);
    return {
      ...config,
      originProperty: config.originProperty && {
        ...config.originProperty,
        originAccessControlId: this.originAccessControl.originAccessControlId,
      },
    };
  }
}
