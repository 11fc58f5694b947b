import { toSandboxUrl } from '@image-share/contracts/s3-reroute';

const installed = Symbol.for('sandbox.fetch.installed');

type FetchFn = typeof globalThis.fetch;

/**
 * Routes S3 requests made with the global `fetch` (Amplify JS in Node, e.g. the Next.js server) to
 * the sandbox. Everything else passes through untouched. Idempotent: a second call only updates
 * the endpoint.
 */
export function installSandboxFetch(endpoint: string): void {
  const g = globalThis as typeof globalThis & { [installed]?: { endpoint: string } };
  const existing = g[installed];
  if (existing) {
    existing.endpoint = endpoint;
    return;
  }
  const state = { endpoint };
  g[installed] = state;
  const original: FetchFn = globalThis.fetch.bind(globalThis);
  globalThis.fetch = (async (input: Parameters<FetchFn>[0], init?: Parameters<FetchFn>[1]) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const target = toSandboxUrl(url, state.endpoint);
    if (target === undefined) return original(input, init);
    if (input instanceof Request) {
      // Rebuild the request at the new URL with the same method, headers and body.
      const body = input.body === null ? undefined : await input.arrayBuffer();
      return original(target, {
        method: input.method,
        headers: input.headers,
        body,
        signal: input.signal,
        ...init,
      });
    }
    return original(target, init);
  }) as FetchFn;
}
