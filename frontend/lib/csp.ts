// The Content-Security-Policy of the App Router pages (the signed-in area), as Next.js documents
// it: a fresh nonce per request, which Next puts on its own scripts, and 'strict-dynamic' so the
// chunks those scripts load are trusted and nothing else is. The guests' pages have no script
// at all and are cached, so they get no nonce (next.config.ts).

/** 128 random bits, base64: unguessable, and never repeated across responses. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

export function appRouterCsp(nonce: string, development: boolean): string {
  return [
    // React's development build evaluates strings for its stack traces; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ''}`,
    // The sandbox's S3 worker is served by this origin (app/sandbox-sw.js/route.ts).
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}

/** The guests' pages ship no script (pages/ with unstable_runtimeJS: false): none may run. */
export const GUEST_CSP = "script-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
