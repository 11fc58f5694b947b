// The sandbox's browser adapter (a service worker) and the one rule for where it may send requests.
// Amplify cannot be pointed at a local S3 endpoint, so in sandbox mode this worker forwards the
// app's S3 requests — signed, with their credentials — to the sandbox. It must never forward them
// anywhere else: it is served only in sandbox mode (app/sandbox-sw.js/route.ts), only for the
// configured sandbox, and only when that is on this machine's loopback.

import { S3_HOST, S3_REROUTE_PREFIX } from '@image-share/contracts/s3-reroute';

/** Where the worker is served and registered (scope `/`). */
export const SANDBOX_WORKER_PATH = '/sandbox-sw.js';

const IPV4_LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/**
 * The origin of `value` when it is an http(s) URL on loopback (127.0.0.0/8, [::1], localhost) with
 * nothing else in it (no user info, path, query or fragment); undefined for anything else. The WHATWG
 * parser has already taken `localhost@evil.example` apart (user `localhost`, host `evil.example`),
 * kept `127.0.0.1.evil.example` a domain name, and written `127.1` or `0x7f.1` as `127.0.0.1`.
 */
export function loopbackEndpoint(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') return undefined;
  const host = url.hostname;
  const loopback = host === 'localhost' || host === '[::1]' || IPV4_LOOPBACK.test(host);
  return loopback ? url.origin : undefined;
}

/** The worker's URL for this endpoint (the endpoint in the URL makes a new sandbox port a new worker). */
export function sandboxWorkerUrl(endpoint: string): string {
  return `${SANDBOX_WORKER_PATH}?endpoint=${encodeURIComponent(endpoint)}`;
}

/**
 * The worker script, with the endpoint fixed in it by the server (the worker reads nothing from
 * its own URL). It forwards every request for an *.amazonaws.com S3 host (fetches, presigned <img>
 * loads) as `<endpoint>/_aws/s3/<original host><original path>?<query>`, keeping the host and
 * path the client signed: the rule of @image-share/contracts/s3-reroute, written into the script.
 */
export function sandboxWorkerSource(endpoint: string): string {
  return `// The local sandbox's S3 adapter; served only in sandbox mode, for ${endpoint}.
const ENDPOINT = ${JSON.stringify(endpoint)};
const S3_HOST = ${String(S3_HOST)};

self.addEventListener('install', () => {
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.protocol !== 'https:' || !S3_HOST.test(url.hostname)) return;
  const target = ENDPOINT + ${JSON.stringify(S3_REROUTE_PREFIX)} + url.host + url.pathname + url.search;
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
    // Chromium refuses redirect: 'manual' for no-cors requests (presigned <img> loads).
    redirect: request.mode === 'no-cors' ? 'follow' : 'manual',
  };
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    init.body = await request.arrayBuffer();
  }
  return fetch(target, init);
}
`;
}
