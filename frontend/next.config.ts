import type { NextConfig } from 'next';
import { formatProblem, loadConfig } from './lib/config';
import { GUEST_CSP } from './lib/csp';

// Evaluated by `next build` and `next start`: a missing or malformed outputs file is reported in
// the terminal here, and on the pages at run time. It never fails the build, so CI can build
// without a deployment.
const outputs = loadConfig();
if (outputs.ok) {
  console.log(
    `[frontend] Outputs: ${outputs.config.source} (${outputs.config.mode === 'sandbox' ? 'local sandbox' : 'AWS'}).`,
  );
} else {
  console.warn(formatProblem(outputs.problem));
}

const nextConfig: NextConfig = {
  // Workspace packages that ship TypeScript sources, not a build.
  transpilePackages: ['@image-share/contracts', 'sandbox'],
  reactStrictMode: true,
  poweredByHeader: false,
  async headers() {
    return [
      {
        // No page of the site may be framed by another (the moderation page deletes on one click).
        source: '/:path*',
        headers: [
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
        ],
      },
      {
        // Everything but the signed-in area, whose policy carries a nonce (proxy.ts).
        source: '/((?!me(?:/|$)).*)',
        headers: [{ key: 'Content-Security-Policy', value: GUEST_CSP }],
      },
    ];
  },
};

export default nextConfig;
