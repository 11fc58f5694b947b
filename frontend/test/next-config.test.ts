import nextConfig from '../next.config';

describe('response headers', () => {
  // Importing next.config.ts has already logged which outputs file it found; that is its job.
  test('every route refuses framing by another site, and gets the other safety headers', async () => {
    const rules = (await nextConfig.headers?.()) ?? [];
    expect(rules.map((rule) => rule.source)).toEqual(['/:path*']);
    const values = Object.fromEntries(rules[0]?.headers.map(({ key, value }) => [key, value]) ?? []);
    expect(values).toEqual({
      'Content-Security-Policy': "frame-ancestors 'none'",
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'strict-origin-when-cross-origin',
    });
  });
});
