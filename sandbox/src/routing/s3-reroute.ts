/**
 * Amplify JS has no working custom S3 endpoint (docs/sandbox.md#clients-that-cannot-set-an-s3-endpoint),
 * so S3 requests leave the client addressed to AWS. Both reroutes — the Node fetch wrapper
 * (fetch-dispatcher.ts) and the browser service worker (frontend/lib/sandbox-sw.ts) — send them to
 * the sandbox as `<endpoint>/_aws/s3/<original host><original path>?<original query>`, which keeps the
 * host and path the client signed so the sandbox can verify SigV4 against them.
 */
export const S3_REROUTE_PREFIX = '/_aws/s3/';

const S3_HOST = /^(?:[a-z0-9.-]+\.)?s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com$/;

function isS3Host(hostname: string): boolean {
  return S3_HOST.test(hostname.toLowerCase());
}

/** Returns the sandbox URL for an AWS S3 URL, or undefined when the URL is not S3. */
export function toSandboxUrl(url: URL, endpoint: string): string | undefined {
  if (url.protocol !== 'https:' || !isS3Host(url.hostname)) return undefined;
  const base = endpoint.replace(/\/+$/, '');
  // url.pathname and url.search keep the client's percent-encoding, which is what it signed.
  return `${base}${S3_REROUTE_PREFIX}${url.host}${url.pathname}${url.search}`;
}
