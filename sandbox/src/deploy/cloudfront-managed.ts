/**
 * CloudFront's managed policies are referenced by id only; their content is documented by AWS
 * ("Use managed response headers policies" in the CloudFront developer guide) and copied here.
 */

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Strict-Transport-Security': 'max-age=31536000',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'SAMEORIGIN',
  'X-XSS-Protection': '1; mode=block',
};

/** Managed response headers policies the sandbox can apply, by id, as the headers they add. */
export const MANAGED_RESPONSE_HEADERS_POLICIES: Readonly<
  Record<string, { name: string; headers: Readonly<Record<string, string>> }>
> = {
  '67f7725c-6f97-4210-82d7-5512b31e9d03': { name: 'SecurityHeadersPolicy', headers: SECURITY_HEADERS },
  '60669652-455b-4ae9-85a4-c4c02393f86c': {
    name: 'SimpleCORS',
    headers: { 'Access-Control-Allow-Origin': '*' },
  },
  'e61eb60c-9c35-4d20-a928-2b84e02af89c': {
    name: 'CORS-and-SecurityHeadersPolicy',
    headers: { 'Access-Control-Allow-Origin': '*', ...SECURITY_HEADERS },
  },
};

/** Managed cache policies (aws-cdk-lib `CachePolicy.*`): recognised, but the sandbox does not cache. */
export const MANAGED_CACHE_POLICIES: Readonly<Record<string, string>> = {
  '658327ea-f89d-4fab-a63d-7e88639e58f6': 'CachingOptimized',
  'b2884449-e4de-46a7-ac36-70bc7f1ddd6d': 'CachingOptimizedForUncompressedObjects',
  '4135ea2d-6df8-44a3-9df3-4b5a84be39ad': 'CachingDisabled',
  '08627262-05a9-4f76-9ded-b50ca2e3a84f': 'Elemental-MediaPackage',
  '2e54312d-136d-493c-8eb9-b001f22f67d2': 'Amplify',
  '83da9c7e-98b4-4e11-a168-04f0df8e2c65': 'UseOriginCacheControlHeaders',
  '4cc15a8a-d715-48a4-82b8-cc0b614638fe': 'UseOriginCacheControlHeaders-QueryStrings',
};
