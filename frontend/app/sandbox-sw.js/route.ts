// Serves the sandbox's service worker (lib/sandbox-sw.ts) in sandbox mode only. Against AWS, or
// for any endpoint but the configured loopback sandbox, there is no such file: a worker that
// forwards signed S3 requests must not be registrable with an endpoint someone else chose.
import { loadConfig } from '@/lib/config';
import { loopbackEndpoint, sandboxWorkerSource } from '@/lib/sandbox-sw';

// The outputs file decides, per request (a sandbox restart may change the port).
export const dynamic = 'force-dynamic';

export function GET(request: Request): Response {
  const result = loadConfig();
  const configured =
    result.ok && result.config.mode === 'sandbox'
      ? loopbackEndpoint(result.config.amplify.sandboxEndpoint ?? '')
      : undefined;
  const asked = loopbackEndpoint(new URL(request.url).searchParams.get('endpoint') ?? '');
  if (configured === undefined || asked !== configured) {
    return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
  }
  return new Response(sandboxWorkerSource(configured), {
    headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' },
  });
}
