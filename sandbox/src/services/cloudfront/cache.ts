/**
 * The edge cache of the sandbox's distributions: how long a response may be kept (the cache
 * policy's TTLs against the origin's Cache-Control and Expires, as CloudFront's "Managing how long
 * content stays in the cache" describes), what the cache key is made of, and a byte-bounded store
 * (least recently used first out) that invalidations clear by path.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { CacheKeyValues, CachePolicySpec } from '../../deploy/model';

/** CloudFront's default "error caching minimum TTL" for the origin errors it caches. */
export const ERROR_CACHING_TTL_SECONDS = 10;
const CACHEABLE_ERRORS = new Set([400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504]);

export interface CacheLimits {
  /** All cached bodies together. @default 64 MiB */
  readonly maxBytes: number;
  /** A larger object is streamed from the origin every time, never held in memory. @default 8 MiB */
  readonly maxObjectBytes: number;
}

export const DEFAULT_CACHE_LIMITS: CacheLimits = {
  maxBytes: 64 * 1024 * 1024,
  maxObjectBytes: 8 * 1024 * 1024,
};

export interface CachedResponse {
  readonly status: number;
  /** The origin's headers as the viewer gets them, before the response headers policy. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** When the origin last answered for it (fetch or revalidation): the base of `Age`. */
  storedAt: number;
  expiresAt: number;
  /** The decoded viewer path (with `?query` when the key has query strings), what invalidations match. */
  readonly invalidationName: string;
}

/**
 * Seconds the edge keeps a successful response. `s-maxage` wins over `max-age`, which wins over
 * `Expires`; each is held between the policy's minimum and maximum TTL; without any of them the
 * default TTL applies. `no-store`, `no-cache` and `private` prevent caching only while the
 * minimum TTL is 0: a minimum above 0 is kept even then.
 */
export function ttlSeconds(
  policy: CachePolicySpec,
  headers: Readonly<Record<string, string | undefined>>,
  now: number,
): number {
  if (policy.maxTtl === 0) return 0;
  const directives = parseCacheControl(headers['cache-control']);
  const clamp = (seconds: number) => Math.min(policy.maxTtl, Math.max(policy.minTtl, seconds));
  if (directives.has('no-store') || directives.has('no-cache') || directives.has('private'))
    return policy.minTtl;
  const sMaxAge = seconds(directives.get('s-maxage'));
  if (sMaxAge !== undefined) return clamp(sMaxAge);
  const maxAge = seconds(directives.get('max-age'));
  if (maxAge !== undefined) return clamp(maxAge);
  if (headers.expires !== undefined) {
    const expires = Date.parse(headers.expires);
    // An Expires that is not a date means "already expired" (RFC 9111, 5.3).
    return clamp(Number.isNaN(expires) ? 0 : Math.max(0, Math.floor((expires - now) / 1000)));
  }
  return policy.defaultTtl;
}

/**
 * Seconds an origin error stays cached: 0 for a status CloudFront never caches, and 0 under a
 * policy that caches nothing (the sandbox's reading of a maximum TTL of 0).
 */
export function errorTtlSeconds(policy: CachePolicySpec, status: number): number {
  return policy.maxTtl > 0 && CACHEABLE_ERRORS.has(status) ? ERROR_CACHING_TTL_SECONDS : 0;
}

function parseCacheControl(value: string | undefined): Map<string, string | undefined> {
  const directives = new Map<string, string | undefined>();
  for (const part of (value ?? '').split(',')) {
    const [name, raw] = part.split('=', 2) as [string, string | undefined];
    const key = name.trim().toLowerCase();
    if (key !== '') directives.set(key, raw?.trim().replace(/^"(.*)"$/, '$1'));
  }
  return directives;
}

function seconds(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/**
 * The cache key: the decoded path plus the query strings, headers and cookies the policy includes
 * (in the order the viewer sent them; names of headers are case-insensitive, the others are not).
 */
export function cacheKey(
  policy: CachePolicySpec,
  path: string,
  rawQuery: string,
  headers: IncomingHttpHeaders,
): { key: string; invalidationName: string } {
  const query = new URLSearchParams(rawQuery);
  const queryPart = [...query].filter(([name]) => included(policy.queryStrings, name));
  const queryString = new URLSearchParams(queryPart).toString();
  const headerPart = [...Object.entries(headers)]
    .filter(([name]) => policy.headers.behavior !== 'none' && included(policy.headers, name))
    .map(([name, value]) => `${name}:${Array.isArray(value) ? value.join(',') : (value ?? '')}`)
    .sort();
  const cookiePart = cookies(headers.cookie).filter(([name]) => included(policy.cookies, name));
  const invalidationName = queryString === '' ? path : `${path}?${queryString}`;
  return {
    key: JSON.stringify([invalidationName, headerPart, cookiePart]),
    invalidationName,
  };
}

function included(values: CacheKeyValues, name: string): boolean {
  switch (values.behavior) {
    case 'none':
      return false;
    case 'all':
      return true;
    case 'whitelist':
      return values.names.includes(name);
    case 'allExcept':
      return !values.names.includes(name);
  }
}

function cookies(header: string | undefined): [string, string][] {
  if (header === undefined) return [];
  return header
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => pair !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq === -1 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
    });
}

/** Whether an invalidation path (decoded; `*` only as its last character) covers a cached name. */
export function pathMatches(invalidationPath: string, name: string): boolean {
  return invalidationPath.endsWith('*')
    ? name.startsWith(invalidationPath.slice(0, -1))
    : name === invalidationPath;
}

/** Bytes an entry is counted for besides its body: its key, its headers and the bookkeeping. */
const ENTRY_OVERHEAD_BYTES = 256;

/**
 * One store for all distributions, bounded in bytes. Keys and headers count too, so many small
 * entries (cached errors for random paths, a policy that keys on every query string) cannot grow
 * the memory past the cap either.
 */
export class EdgeCache {
  private readonly entries = new Map<string, { entry: CachedResponse; cost: number }>();
  private bytes = 0;
  /** Bumped by every invalidation, so a fetch that started before one does not store its result. */
  private generation = 0;

  constructor(readonly limits: CacheLimits = DEFAULT_CACHE_LIMITS) {}

  get currentGeneration(): number {
    return this.generation;
  }

  get(distributionId: string, key: string): CachedResponse | undefined {
    const id = `${distributionId}\n${key}`;
    const found = this.entries.get(id);
    if (found === undefined) return undefined;
    // Least recently used goes first: a read moves the entry to the end of the Map's order.
    this.entries.delete(id);
    this.entries.set(id, found);
    return found.entry;
  }

  /** Stores unless an invalidation ran since `generation` or the body is above the per-object cap. */
  put(distributionId: string, key: string, entry: CachedResponse, generation: number): void {
    if (generation !== this.generation || entry.body.length > this.limits.maxObjectBytes) return;
    const id = `${distributionId}\n${key}`;
    let cost = entry.body.length + id.length + entry.invalidationName.length + ENTRY_OVERHEAD_BYTES;
    for (const [name, value] of Object.entries(entry.headers)) cost += name.length + value.length;
    this.remove(id);
    this.entries.set(id, { entry, cost });
    this.bytes += cost;
    for (const [oldest, old] of this.entries) {
      if (this.bytes <= this.limits.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= old.cost;
    }
  }

  /** Drops every entry of the distribution whose name one of the paths covers; returns how many. */
  invalidate(distributionId: string, paths: readonly string[]): number {
    this.generation++;
    let removed = 0;
    const prefix = `${distributionId}\n`;
    for (const [id, { entry }] of [...this.entries]) {
      if (!id.startsWith(prefix)) continue;
      if (paths.some((p) => pathMatches(p, entry.invalidationName))) {
        this.remove(id);
        removed++;
      }
    }
    return removed;
  }

  /** How many entries, and the bytes they are counted for (bodies, keys, headers). */
  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  private remove(id: string): void {
    const old = this.entries.get(id);
    if (old === undefined) return;
    this.entries.delete(id);
    this.bytes -= old.cost;
  }
}
