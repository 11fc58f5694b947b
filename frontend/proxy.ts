// Runs before the signed-in area's pages: a per-request nonce for their Content-Security-Policy.
// Next reads the policy from the request headers and puts the nonce on the scripts it renders.
import { type NextRequest, NextResponse } from 'next/server';
import { appRouterCsp, newNonce } from './lib/csp';

export function proxy(request: NextRequest): NextResponse {
  const policy = appRouterCsp(newNonce(), process.env.NODE_ENV === 'development');
  const headers = new Headers(request.headers);
  headers.set('Content-Security-Policy', policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', policy);
  return response;
}

export const config = {
  // The App Router pages only; prefetches are left out, as Next.js documents, since their
  // responses are not documents and a nonce there would be wasted.
  matcher: [
    {
      source: '/me/:path*',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
