import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { ManualClock } from '../../src/core/clock';
import type { CachePolicySpec } from '../../src/deploy/model';
import {
  cacheKey,
  EdgeCache,
  ERROR_CACHING_TTL_SECONDS,
  pathMatches,
  ttlSeconds,
  type CachedResponse,
} from '../../src/services/cloudfront/cache';
import {
  CACHING_DISABLED,
  CACHING_OPTIMIZED,
  DIST,
  oacPolicy,
  OTHER,
  startEdge,
  type Edge,
} from '../helpers/cloudfront-edge';
import { BUCKET, bucketSpec } from '../helpers/s3-test-server';

const HOUR = 3600;
const NOW = Date.parse('2026-06-01T12:00:00Z');
const policy = (min: number, def: number, max: number): CachePolicySpec => ({
  ...CACHING_OPTIMIZED,
  minTtl: min,
  defaultTtl: def,
  maxTtl: max,
});

describe('how long the edge keeps a response', () => {
  test.each([
    ['no caching headers: the default TTL', policy(1, 86_400, 31_536_000), {}, 86_400],
    ['max-age between min and max', policy(1, 86_400, 31_536_000), { 'cache-control': 'max-age=60' }, 60],
    ['max-age above the maximum TTL', policy(0, 60, 300), { 'cache-control': 'public, max-age=3600' }, 300],
    ['max-age below the minimum TTL', policy(120, 300, 3600), { 'cache-control': 'max-age=5' }, 120],
    ['s-maxage wins over max-age', policy(0, 60, HOUR), { 'cache-control': 'max-age=5, s-maxage=600' }, 600],
    [
      'max-age wins over Expires',
      policy(0, 60, HOUR),
      { 'cache-control': 'max-age=30', expires: new Date(NOW + 900_000).toUTCString() },
      30,
    ],
    ['Expires alone', policy(0, 60, HOUR), { expires: new Date(NOW + 900_000).toUTCString() }, 900],
    ['an Expires that is not a date', policy(0, 60, HOUR), { expires: '0' }, 0],
    ['no-store with a minimum TTL of 0', policy(0, 86_400, HOUR), { 'cache-control': 'no-store' }, 0],
    [
      'private with a minimum TTL of 0',
      policy(0, 86_400, HOUR),
      { 'cache-control': 'private, max-age=600' },
      0,
    ],
    [
      'no-cache with a minimum TTL above 0: the minimum',
      policy(1, 86_400, HOUR),
      { 'cache-control': 'no-cache' },
      1,
    ],
    ['CachingDisabled', CACHING_DISABLED, { 'cache-control': 'max-age=600' }, 0],
    ['a max-age that is not a number', policy(0, 70, HOUR), { 'cache-control': 'max-age=soon' }, 70],
  ])('%s', (_name, p, headers, expected) => {
    expect(ttlSeconds(p, headers, NOW)).toBe(expected);
  });
});

describe('the cache key', () => {
  const keyed: CachePolicySpec = {
    ...CACHING_OPTIMIZED,
    queryStrings: { behavior: 'whitelist', names: ['w'] },
    headers: { behavior: 'whitelist', names: ['x-variant'] },
    cookies: { behavior: 'allExcept', names: ['session'] },
  };

  test('holds the path and only the query strings, headers and cookies the policy includes', () => {
    const a = cacheKey(keyed, '/a.png', 'w=320&utm=mail', {
      cookie: 'session=1; theme=dark',
      'x-other': '1',
    });
    const b = cacheKey(keyed, '/a.png', 'utm=web&w=320', { cookie: 'session=2; theme=dark', 'x-other': '2' });
    expect(a.key).toBe(b.key);
    expect(a.invalidationName).toBe('/a.png?w=320');
    expect(cacheKey(keyed, '/a.png', 'w=640', {}).key).not.toBe(cacheKey(keyed, '/a.png', 'w=320', {}).key);
    expect(cacheKey(keyed, '/a.png', '', { 'x-variant': 'b' }).key).not.toBe(
      cacheKey(keyed, '/a.png', '', {}).key,
    );
    expect(cacheKey(keyed, '/a.png', '', { cookie: 'theme=light' }).key).not.toBe(
      cacheKey(keyed, '/a.png', '', { cookie: 'theme=dark' }).key,
    );
  });

  test('CachingOptimized keys on the path alone', () => {
    const plain = cacheKey(CACHING_OPTIMIZED, '/a.png', '', {});
    expect(cacheKey(CACHING_OPTIMIZED, '/a.png', 'v=2', { cookie: 'a=b', 'x-variant': 'c' })).toEqual(plain);
  });

  test('invalidation paths match exactly, or by the prefix before a final *', () => {
    expect(pathMatches('/idA/cat.png', '/idA/cat.png')).toBe(true);
    expect(pathMatches('/idA/cat.png', '/idA/cat.png.bak')).toBe(false);
    expect(pathMatches('/idA/*', '/idA/x/y.png')).toBe(true);
    expect(pathMatches('/idA/*', '/idB/x.png')).toBe(false);
    expect(pathMatches('/*', '/anything?w=1')).toBe(true);
  });
});

describe('the store is bounded', () => {
  const entry = (name: string, bytes: number): CachedResponse => ({
    status: 200,
    headers: {},
    body: Buffer.alloc(bytes),
    storedAt: 0,
    expiresAt: Number.MAX_SAFE_INTEGER,
    invalidationName: name,
  });

  test('the least recently used entries go first when the byte cap is reached', () => {
    // Room for three entries of 1000 bytes with their keys and bookkeeping, not for four.
    const cache = new EdgeCache({ maxBytes: 3 * 1300, maxObjectBytes: 2000 });
    const g = cache.currentGeneration;
    cache.put(DIST, 'a', entry('/a', 1000), g);
    cache.put(DIST, 'b', entry('/b', 1000), g);
    cache.put(DIST, 'c', entry('/c', 1000), g);
    expect(cache.get(DIST, 'a')).toBeDefined(); // now the most recently used
    cache.put(DIST, 'd', entry('/d', 1000), g);
    expect(cache.get(DIST, 'b')).toBeUndefined();
    expect(cache.get(DIST, 'a')).toBeDefined();
    expect(cache.size.entries).toBe(3);
    expect(cache.size.bytes).toBeLessThanOrEqual(3 * 1300);
  });

  test('keys count too: many bodiless entries with long keys stay within the cap', () => {
    const cache = new EdgeCache({ maxBytes: 1024 * 1024, maxObjectBytes: 1024 });
    const g = cache.currentGeneration;
    for (let i = 0; i < 5000; i++) cache.put(DIST, `${i}:${'q'.repeat(1000)}`, entry(`/e${i}`, 0), g);
    expect(cache.size.bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(cache.size.entries).toBeLessThan(1000);
  });

  test('an object above the per-object cap is never kept', () => {
    const cache = new EdgeCache({ maxBytes: 1000, maxObjectBytes: 200 });
    cache.put(DIST, 'big', entry('/big', 201), cache.currentGeneration);
    expect(cache.size).toEqual({ entries: 0, bytes: 0 });
    cache.put(DIST, 'small', entry('/small', 200), cache.currentGeneration);
    expect(cache.size.entries).toBe(1);
  });

  test('a response fetched before an invalidation is not stored after it', () => {
    const cache = new EdgeCache();
    const before = cache.currentGeneration;
    cache.invalidate(DIST, ['/a']);
    cache.put(DIST, 'a', entry('/a', 1), before);
    expect(cache.get(DIST, 'a')).toBeUndefined();
  });

  test('an invalidation clears only its own distribution', () => {
    const cache = new EdgeCache();
    const g = cache.currentGeneration;
    cache.put(DIST, 'a', entry('/a', 1), g);
    cache.put(OTHER, 'a', entry('/a', 1), g);
    expect(cache.invalidate(DIST, ['/*'])).toBe(1);
    expect(cache.get(OTHER, 'a')).toBeDefined();
  });
});

describe('the edge answers from its cache', () => {
  let edge: Edge;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock(new Date());
    edge = await startEdge(bucketSpec({ policy: oacPolicy('public/*') }), {
      clock,
      cache: new EdgeCache({ maxBytes: 1024 * 1024, maxObjectBytes: 64 * 1024 }),
    });
  });
  afterEach(async () => edge.close());
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${edge.url}/${DIST}${path}`, { headers });
  const remove = (key: string) =>
    edge.s3.client().send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));

  test('a cached object outlives its deletion from the bucket until its TTL, with Age counting up', async () => {
    const miss = await get('/idA/cat.png');
    expect(miss.headers.get('x-cache')).toBe('Miss from cloudfront');
    expect(miss.headers.get('age')).toBeNull();
    expect(await miss.text()).toBe('cat-bytes');

    await remove('public/idA/cat.png');
    clock.advance(90_000);
    const hit = await get('/idA/cat.png');
    expect(hit.status).toBe(200);
    expect(hit.headers.get('x-cache')).toBe('Hit from cloudfront');
    expect(hit.headers.get('age')).toBe('90');
    expect(hit.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await hit.text()).toBe('cat-bytes');

    // CachingOptimized's default TTL is a day; after it the origin decides again.
    clock.advance(86_400_000);
    const gone = await get('/idA/cat.png');
    expect(gone.status).toBe(403);
    expect(gone.headers.get('x-cache')).toBe('Error from cloudfront');
  });

  test("the origin's max-age bounds the copy; an unchanged object is revalidated (RefreshHit)", async () => {
    await edge.put('public/idA/short.png', 'short', { CacheControl: 'max-age=30' });
    await (await get('/idA/short.png')).text();
    clock.advance(29_000);
    expect((await get('/idA/short.png')).headers.get('x-cache')).toBe('Hit from cloudfront');
    clock.advance(2_000);
    const refreshed = await get('/idA/short.png');
    expect(refreshed.headers.get('x-cache')).toBe('RefreshHit from cloudfront');
    expect(refreshed.headers.get('age')).toBe('0');
    expect(refreshed.headers.get('cache-control')).toBe('max-age=30');
    expect(await refreshed.text()).toBe('short');
  });

  test('a changed object replaces the stale copy', async () => {
    await edge.put('public/idA/v.png', 'one', { CacheControl: 'max-age=10' });
    await (await get('/idA/v.png')).text();
    await edge.put('public/idA/v.png', 'two', { CacheControl: 'max-age=10' });
    expect(await (await get('/idA/v.png')).text()).toBe('one');
    clock.advance(11_000);
    const fresh = await get('/idA/v.png');
    expect(fresh.headers.get('x-cache')).toBe('Miss from cloudfront');
    expect(await fresh.text()).toBe('two');
  });

  test("no-store still keeps the object for CachingOptimized's minimum TTL of 1 s, and no longer", async () => {
    await edge.put('public/idA/nostore.png', 'a', { CacheControl: 'no-store' });
    await (await get('/idA/nostore.png')).text();
    await edge.put('public/idA/nostore.png', 'b', { CacheControl: 'no-store' });
    expect(await (await get('/idA/nostore.png')).text()).toBe('a');
    clock.advance(1_000);
    expect(await (await get('/idA/nostore.png')).text()).toBe('b');
  });

  test('an origin error is cached for the error caching minimum TTL, then asked again', async () => {
    const first = await get('/idA/late.png');
    expect(first.status).toBe(403);
    await edge.put('public/idA/late.png', 'late');
    clock.advance((ERROR_CACHING_TTL_SECONDS - 1) * 1000);
    const cached = await get('/idA/late.png');
    expect(cached.status).toBe(403);
    expect(cached.headers.get('age')).toBe(String(ERROR_CACHING_TTL_SECONDS - 1));
    clock.advance(1000);
    const now = await get('/idA/late.png');
    expect(now.status).toBe(200);
    expect(await now.text()).toBe('late');
  });

  test('conditional requests and ranges are answered from the cached copy', async () => {
    const first = await get('/idA/cat.png');
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    await first.text();
    await remove('public/idA/cat.png');
    // A date ahead of the edge's clock is ignored; the object may be stamped in the next second.
    clock.advance(5_000);

    const notModified = await get('/idA/cat.png', { 'if-none-match': etag });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get('x-cache')).toBe('Hit from cloudfront');
    expect(notModified.headers.get('etag')).toBe(etag);
    expect((await get('/idA/cat.png', { 'if-none-match': '"other"' })).status).toBe(200);
    expect((await get('/idA/cat.png', { 'if-modified-since': lastModified })).status).toBe(304);
    const older = new Date(Date.parse(lastModified) - 60_000).toUTCString();
    expect((await get('/idA/cat.png', { 'if-modified-since': older })).status).toBe(200);

    const part = await get('/idA/cat.png', { range: 'bytes=4-' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 4-8/9');
    expect(await part.text()).toBe('bytes');
    const beyond = await get('/idA/cat.png', { range: 'bytes=50-60' });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe('bytes */9');
  });

  test('an object above the per-object cap is streamed from the origin every time, ranges included', async () => {
    const big = Buffer.alloc(64 * 1024 + 1, 7);
    await edge.put('public/idA/big.png', big);
    const first = await get('/idA/big.png');
    expect(Buffer.from(await first.arrayBuffer()).equals(big)).toBe(true);
    const part = await get('/idA/big.png', { range: 'bytes=0-9' });
    expect(part.status).toBe(206);
    expect(part.headers.get('x-cache')).toBe('Miss from cloudfront');
    expect((await part.arrayBuffer()).byteLength).toBe(10);
    await remove('public/idA/big.png');
    expect((await get('/idA/big.png')).status).toBe(403);
    expect(edge.cache.size.bytes).toBeLessThan(big.length);
  });

  test('HEAD is answered by the origin until a GET has cached the object', async () => {
    const head = await fetch(`${edge.url}/${DIST}/idA/cat.png`, { method: 'HEAD' });
    expect(head.headers.get('x-cache')).toBe('Miss from cloudfront');
    expect(edge.cache.size.entries).toBe(0);
    await (await get('/idA/cat.png')).text();
    const cachedHead = await fetch(`${edge.url}/${DIST}/idA/cat.png`, { method: 'HEAD' });
    expect(cachedHead.headers.get('x-cache')).toBe('Hit from cloudfront');
    expect(cachedHead.headers.get('content-length')).toBe('9');
  });

  test('an invalidation makes the next request go to the origin', async () => {
    await (await get('/idA/cat.png')).text();
    await remove('public/idA/cat.png');
    expect((await get('/idA/cat.png')).status).toBe(200);
    edge.cache.invalidate(DIST, ['/idA/cat.png']);
    expect((await get('/idA/cat.png')).status).toBe(403);
  });
});

describe('CachingDisabled', () => {
  test('every request reaches the origin', async () => {
    const edge = await startEdge(bucketSpec({ policy: oacPolicy('public/*') }), {
      cachePolicy: CACHING_DISABLED,
    });
    try {
      await (await fetch(`${edge.url}/${DIST}/idA/cat.png`)).text();
      await edge.s3.client().send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'public/idA/cat.png' }));
      const res = await fetch(`${edge.url}/${DIST}/idA/cat.png`);
      expect(res.status).toBe(403);
      expect(edge.cache.size.entries).toBe(0);
    } finally {
      await edge.close();
    }
  });
});
