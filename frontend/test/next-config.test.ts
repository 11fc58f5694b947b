/** @jest-environment node */
import { NextRequest } from 'next/server';
import nextConfig from '../next.config';
import { GUEST_CSP } from '@/lib/csp';
import { config as proxyConfig, proxy } from '../proxy';

/** Next's own matcher for a `source`: path-to-regexp, as next.config headers use it. */
function matches(source: string, path: string): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { pathToRegexp } = require('next/dist/compiled/path-to-regexp') as {
    pathToRegexp: (source: string) => RegExp;
  };
  return pathToRegexp(source).test(path);
}

async function headersFor(path: string): Promise<Record<string, string>> {
  const rules = (await nextConfig.headers?.()) ?? [];
  return Object.fromEntries(
    rules
      .filter((rule) => matches(rule.source, path))
      .flatMap((rule) => rule.headers.map(({ key, value }) => [key, value])),
  );
}

describe('response headers', () => {
  // Importing next.config.ts has already logged which outputs file it found; that is its job.
  test.each(['/', '/p/AAAAAAAAAAAAAAAAAAAAAA', '/me', '/me/moderate/x', '/sandbox-sw.js'])(
    '%s refuses framing and gets the other safety headers',
    async (path) => {
      expect(await headersFor(path)).toMatchObject({
        'X-Frame-Options': 'DENY',
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'strict-origin-when-cross-origin',
      });
    },
  );

  test.each(['/', '/p/AAAAAAAAAAAAAAAAAAAAAA', '/mess', '/sandbox-sw.js'])(
    '%s, outside the signed-in area, lets no script run and no one frame it',
    async (path) => {
      expect((await headersFor(path))['Content-Security-Policy']).toBe(GUEST_CSP);
      expect(GUEST_CSP).toMatch(/script-src 'none'/);
      expect(GUEST_CSP).toMatch(/frame-ancestors 'none'/);
    },
  );

  test.each(['/me', '/me/moderate/x'])(
    '%s gets its policy from the proxy, not a static one',
    async (path) => {
      expect(await headersFor(path)).not.toHaveProperty('Content-Security-Policy');
      expect(proxyConfig.matcher.some(({ source }) => matches(source, path))).toBe(true);
    },
  );
});

describe('the signed-in area’s Content-Security-Policy', () => {
  const policyOf = (response: Response) => response.headers.get('content-security-policy') ?? '';
  const nonceOf = (policy: string) => /'nonce-([^']+)'/.exec(policy)?.[1];

  test('allows only scripts with this response’s nonce (and what they load), and no framing', () => {
    const policy = policyOf(proxy(new NextRequest('http://localhost:3000/me')));
    expect(policy).toMatch(/^script-src 'self' 'nonce-[A-Za-z0-9+/]{22}==' 'strict-dynamic'(;|$)/);
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(policy).toMatch(/frame-ancestors 'none'/);
    expect(policy).toMatch(/object-src 'none'/);
    expect(policy).toMatch(/base-uri 'none'/);
  });

  test('hands the same policy to Next on the request, so its scripts carry the nonce', () => {
    const response = proxy(new NextRequest('http://localhost:3000/me'));
    expect(response.headers.get('x-middleware-request-content-security-policy')).toBe(policyOf(response));
  });

  test('a new nonce for every response', () => {
    const nonces = new Set(
      Array.from({ length: 20 }, () => nonceOf(policyOf(proxy(new NextRequest('http://localhost:3000/me'))))),
    );
    expect(nonces.size).toBe(20);
  });
});
