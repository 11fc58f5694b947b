// The sandbox's service worker forwards signed S3 requests (Authorization, x-amz-security-token)
// to its endpoint. It used to be a public file taking any `endpoint=`, so one injected script could
// register it with a foreign endpoint and collect the credentials. Only loopback may be an endpoint.
import { toSandboxUrl } from '@image-share/contracts/s3-reroute';
import { loopbackEndpoint, sandboxWorkerSource } from '@/lib/sandbox-sw';

describe('loopbackEndpoint: the only endpoints the sandbox worker may forward to', () => {
  test.each([
    ['http://127.0.0.1:4510', 'http://127.0.0.1:4510'],
    ['http://127.0.0.1:4510/', 'http://127.0.0.1:4510'],
    ['http://127.42.0.9:1', 'http://127.42.0.9:1'],
    ['http://localhost:4510', 'http://localhost:4510'],
    ['http://LOCALHOST:4510', 'http://localhost:4510'],
    ['http://[::1]:4510', 'http://[::1]:4510'],
    ['https://127.0.0.1:8443', 'https://127.0.0.1:8443'],
    // Other spellings of 127.0.0.1 the URL parser normalises: still loopback.
    ['http://127.1:4510', 'http://127.0.0.1:4510'],
    ['http://0x7f000001:4510', 'http://127.0.0.1:4510'],
  ])('accepts %s', (value, origin) => {
    expect(loopbackEndpoint(value)).toBe(origin);
  });

  test.each([
    'https://evil.example',
    'http://127.0.0.1.evil.example:4510',
    'http://localhost.evil.example',
    'http://localhost@evil.example',
    'http://127.0.0.1:4510@evil.example',
    'http://user:pass@127.0.0.1:4510',
    'http://localhost:x@127.0.0.1',
    'http://evil.example#@127.0.0.1',
    'http://evil.example\\@127.0.0.1',
    'http://10.0.0.1:4510',
    'http://0.0.0.0:4510',
    'http://128.0.0.1',
    'http://[::ffff:127.0.0.1]',
    'http://[::2]',
    'http://localhost.:4510',
    'ftp://127.0.0.1',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/plain,127.0.0.1',
    'ws://127.0.0.1:4510',
    'http://127.0.0.1:4510/elsewhere',
    'http://127.0.0.1:4510/?x=1',
    '//127.0.0.1:4510',
    '127.0.0.1:4510',
    '',
  ])('refuses %s', (value) => {
    expect(loopbackEndpoint(value)).toBeUndefined();
  });
});

describe('the worker script', () => {
  type Listener = (event: unknown) => void;

  /** Runs the served source with a stand-in `self` and returns where it sends a request for `url`. */
  function forwardedTo(
    source: string,
    url: string,
    location = 'http://127.0.0.1:3000/sandbox-sw.js',
  ): string[] {
    const listeners = new Map<string, Listener>();
    const sent: string[] = [];
    const self = {
      location: { href: location },
      addEventListener: (type: string, listener: Listener) => listeners.set(type, listener),
      skipWaiting: () => undefined,
      clients: { claim: () => Promise.resolve() },
    };
    const fetchStub = (target: string) => {
      sent.push(target);
      return Promise.resolve();
    };
    new Function('self', 'fetch', source)(self, fetchStub);
    listeners.get('fetch')!({
      request: { url, method: 'GET', headers: {}, mode: 'cors' },
      respondWith: (response: Promise<unknown>) => void response,
    });
    return sent;
  }

  test('forwards S3 requests only to the endpoint fixed in it, whatever its own URL says', async () => {
    const source = sandboxWorkerSource('http://127.0.0.1:4510');
    const sent = forwardedTo(
      source,
      'https://bucket.s3.us-east-1.amazonaws.com/private/a.png?x-id=GetObject',
      'http://127.0.0.1:3000/sandbox-sw.js?endpoint=https%3A%2F%2Fevil.example',
    );
    await Promise.resolve();
    expect(sent).toEqual([
      'http://127.0.0.1:4510/_aws/s3/bucket.s3.us-east-1.amazonaws.com/private/a.png?x-id=GetObject',
    ]);
    expect(forwardedTo(source, 'https://evil.example/a.png')).toEqual([]);
  });

  test.each([
    'https://photos.s3.eu-west-1.amazonaws.com/public/a%20b.png?x-id=GetObject',
    'https://s3.amazonaws.com/photos?list-type=2&prefix=public%2F',
    'https://photos.s3.dualstack.us-east-1.amazonaws.com/a.png',
    'https://photos.s3.cn-north-1.amazonaws.com.cn/a.png',
    'http://photos.s3.amazonaws.com/a.png',
    'https://s3.amazonaws.com.evil.example/a.png',
    'https://cognito-idp.us-east-1.amazonaws.com/',
    'https://nots3.amazonaws.com/a.png',
  ])('reroutes %s exactly as the contract rule does', (url) => {
    const expected = toSandboxUrl(new URL(url), 'http://127.0.0.1:4510');
    expect(forwardedTo(sandboxWorkerSource('http://127.0.0.1:4510'), url)).toEqual(
      expected ? [expected] : [],
    );
  });
});
