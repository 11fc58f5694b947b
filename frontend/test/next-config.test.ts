import nextConfig from '../next.config';

describe('response headers', () => {
  // Importing next.config.ts has already logged which outputs file it found; that is its job.
  test('every route refuses framing by another site, and gets the other safety headers', async () => {
    expect(await nextConfig.headers?.()).toEqual([
      {
        source: '/:path*',
        headers: [
          { key: 'Content-Security-Policy', value: "frame-ancestors 'none'" },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
        ],
      },
    ]);
  });
});
