// Which host names are AWS S3, and how S3 requests reach the sandbox instead. Amplify JS has no
// working custom S3 endpoint (docs/sandbox.md#clients-that-cannot-set-an-s3-endpoint), so in sandbox mode its S3 requests leave the client addressed to
// AWS; the Node fetch wrapper, the web app's XHR patch and its service worker all send them to
// `<endpoint>/_aws/s3/<original host><original path>?<original query>`, which keeps the host and
// path the client signed, so the sandbox can verify SigV4 against them.

export const S3_REROUTE_PREFIX = '/_aws/s3/';

// `s3.amazonaws.com`, `s3.<region>.amazonaws.com`, `s3-<region>.amazonaws.com`,
// `s3.dualstack.<region>.amazonaws.com`; China's regions end in `.amazonaws.com.cn`.
const ENDPOINT = String.raw`s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com(?:\.cn)?`;
const PATH_STYLE_HOST = new RegExp(`^${ENDPOINT}$`);
const VIRTUAL_HOST = new RegExp(`^([a-z0-9.-]+)\\.${ENDPOINT}$`);

/**
 * Any S3 host, lower case: an endpoint, optionally behind `<bucket>.` (virtual-hosted style).
 * The web app's service worker cannot import this module and holds a copy; a frontend test
 * keeps the two equal.
 */
export const S3_HOST = new RegExp(`^(?:[a-z0-9.-]+\\.)?${ENDPOINT}$`);

/** How an S3 host addresses a bucket (path style has none in the host); undefined when not S3's. */
export function parseS3Host(hostname: string): { bucket?: string } | undefined {
  const host = hostname.toLowerCase();
  if (PATH_STYLE_HOST.test(host)) return {};
  const bucket = VIRTUAL_HOST.exec(host)?.[1];
  return bucket === undefined ? undefined : { bucket };
}

/** Returns the sandbox URL for an AWS S3 URL, or undefined when the URL is not S3. */
export function toSandboxUrl(url: URL, endpoint: string): string | undefined {
  if (url.protocol !== 'https:' || parseS3Host(url.hostname) === undefined) return undefined;
  const base = endpoint.replace(/\/+$/, '');
  // url.pathname and url.search keep the client's percent-encoding, which is what it signed.
  return `${base}${S3_REROUTE_PREFIX}${url.host}${url.pathname}${url.search}`;
}
