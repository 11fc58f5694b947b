/*
 * Sandbox mode only: the web app registers this worker as `/sandbox-sw.js?endpoint=<sandbox URL>`.
 * Amplify JS cannot be pointed at a local S3 endpoint, so this worker forwards every request for
 * *.amazonaws.com S3 hosts (uploads by XHR, fetches, presigned <img> loads) to the sandbox as
 * `<endpoint>/_aws/s3/<original host><original path>?<query>`, keeping the host and path the client
 * signed. Same rule as sandbox/src/routing/s3-reroute.ts (a worker cannot import TypeScript).
 */
const ENDPOINT = new URL(self.location.href).searchParams.get('endpoint');
const S3_HOST = /^(?:[a-z0-9.-]+\.)?s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com$/;

self.addEventListener('install', () => {
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (event) => {
  if (!ENDPOINT) return;
  const url = new URL(event.request.url);
  if (url.protocol !== 'https:' || !S3_HOST.test(url.hostname)) return;
  const target = `${ENDPOINT.replace(/\/+$/, '')}/_aws/s3/${url.host}${url.pathname}${url.search}`;
  event.respondWith(forward(event.request, target));
});

async function forward(request, target) {
  const init = {
    method: request.method,
    headers: request.headers,
    // <img> loads arrive as no-cors; the sandbox answers with CORS headers, so ask in cors mode
    // only when the page did (credentials never go to the sandbox).
    mode: request.mode === 'navigate' ? 'cors' : request.mode,
    credentials: 'omit',
    // Chromium refuses `redirect: 'manual'` for no-cors requests (presigned <img> loads).
    redirect: request.mode === 'no-cors' ? 'follow' : 'manual',
  };
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    init.body = await request.arrayBuffer();
  }
  return fetch(target, init);
}
