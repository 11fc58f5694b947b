import type { CachePolicySpec } from './model';

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

const NONE = { behavior: 'none' } as const;
const ALL = { behavior: 'all' } as const;
const YEAR = 31_536_000;
const ORIGIN_CACHE_CONTROL_HEADERS = {
  behavior: 'whitelist',
  names: ['host', 'origin', 'x-http-method-override', 'x-http-method', 'x-method-override'],
} as const;

/**
 * Managed cache policies (aws-cdk-lib `CachePolicy.*`) by id, with the settings AWS documents for
 * them ("Use managed cache policies"). Compression settings are left out: the sandbox compresses
 * nothing, so the normalized Accept-Encoding never splits its cache.
 */
export const MANAGED_CACHE_POLICIES: Readonly<Record<string, CachePolicySpec>> = {
  '658327ea-f89d-4fab-a63d-7e88639e58f6': {
    name: 'CachingOptimized',
    minTtl: 1,
    defaultTtl: 86_400,
    maxTtl: YEAR,
    queryStrings: NONE,
    headers: NONE,
    cookies: NONE,
  },
  'b2884449-e4de-46a7-ac36-70bc7f1ddd6d': {
    name: 'CachingOptimizedForUncompressedObjects',
    minTtl: 1,
    defaultTtl: 86_400,
    maxTtl: YEAR,
    queryStrings: NONE,
    headers: NONE,
    cookies: NONE,
  },
  '4135ea2d-6df8-44a3-9df3-4b5a84be39ad': {
    name: 'CachingDisabled',
    minTtl: 0,
    defaultTtl: 0,
    maxTtl: 0,
    queryStrings: NONE,
    headers: NONE,
    cookies: NONE,
  },
  '08627262-05a9-4f76-9ded-b50ca2e3a84f': {
    name: 'Elemental-MediaPackage',
    minTtl: 0,
    defaultTtl: 86_400,
    maxTtl: YEAR,
    queryStrings: { behavior: 'whitelist', names: ['aws.manifestfilter', 'start', 'end', 'm'] },
    headers: { behavior: 'whitelist', names: ['origin'] },
    cookies: NONE,
  },
  '2e54312d-136d-493c-8eb9-b001f22f67d2': {
    name: 'Amplify',
    minTtl: 2,
    defaultTtl: 2,
    maxTtl: 600,
    queryStrings: ALL,
    headers: { behavior: 'whitelist', names: ['authorization', 'cloudfront-viewer-country', 'host'] },
    cookies: ALL,
  },
  '83da9c7e-98b4-4e11-a168-04f0df8e2c65': {
    name: 'UseOriginCacheControlHeaders',
    minTtl: 0,
    defaultTtl: 0,
    maxTtl: YEAR,
    queryStrings: NONE,
    headers: ORIGIN_CACHE_CONTROL_HEADERS,
    cookies: ALL,
  },
  '4cc15a8a-d715-48a4-82b8-cc0b614638fe': {
    name: 'UseOriginCacheControlHeaders-QueryStrings',
    minTtl: 0,
    defaultTtl: 0,
    maxTtl: YEAR,
    queryStrings: ALL,
    headers: ORIGIN_CACHE_CONTROL_HEADERS,
    cookies: ALL,
  },
};
