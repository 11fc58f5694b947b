import type { BucketSpec, CorsRuleSpec } from '../../deploy/model';
import { s3Errors } from './errors';

/** S3 CORS: the first rule matching origin + method (+ requested headers for a preflight) decides. */

export interface Preflight {
  readonly origin: string;
  readonly method: string;
  readonly requestHeaders: readonly string[];
}

interface CompiledRule {
  readonly origins: readonly RegExp[];
  readonly anyOrigin: boolean;
  readonly methods: ReadonlySet<string>;
  readonly headers: readonly RegExp[];
  readonly spec: CorsRuleSpec;
}

/** S3 allows one `*` wildcard in AllowedOrigin/AllowedHeader entries; header names compare case-insensitively. */
function wildcard(pattern: string, flags = ''): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`, flags);
}

export class BucketCors {
  private readonly rules: readonly CompiledRule[];

  constructor(bucket: BucketSpec) {
    this.rules = bucket.cors.map((spec) => ({
      origins: spec.allowedOrigins.map((o) => wildcard(o)),
      anyOrigin: spec.allowedOrigins.includes('*'),
      methods: new Set(spec.allowedMethods.map((m) => m.toUpperCase())),
      headers: spec.allowedHeaders.map((h) => wildcard(h.toLowerCase(), 'i')),
      spec,
    }));
  }

  /** Headers for an OPTIONS preflight, or the AccessForbidden S3 answers when no rule allows it. */
  preflight(request: Preflight): Record<string, string> {
    if (this.rules.length === 0) throw s3Errors.corsNotEnabled();
    const rule = this.rules.find(
      (r) =>
        r.origins.some((o) => o.test(request.origin)) &&
        r.methods.has(request.method.toUpperCase()) &&
        request.requestHeaders.every((h) => r.headers.some((allowed) => allowed.test(h))),
    );
    if (!rule) throw s3Errors.corsNotAllowed();
    const headers: Record<string, string> = {
      ...this.originHeaders(rule, request.origin),
      'access-control-allow-methods': [...rule.methods].join(', '),
    };
    if (request.requestHeaders.length > 0)
      headers['access-control-allow-headers'] = request.requestHeaders.join(', ');
    return headers;
  }

  /** Headers added to an actual (non-preflight) response; empty when no rule matches. */
  actual(origin: string | undefined, method: string): Record<string, string> {
    if (origin === undefined || this.rules.length === 0) return {};
    const rule = this.rules.find(
      (r) => r.origins.some((o) => o.test(origin)) && r.methods.has(method.toUpperCase()),
    );
    if (!rule) return {};
    return {
      ...this.originHeaders(rule, origin),
      'access-control-allow-methods': [...rule.methods].join(', '),
    };
  }

  private originHeaders(rule: CompiledRule, origin: string): Record<string, string> {
    const headers: Record<string, string> = {
      'access-control-allow-origin': rule.anyOrigin ? '*' : origin,
      vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    };
    if (!rule.anyOrigin) headers['access-control-allow-credentials'] = 'true';
    if (rule.spec.exposedHeaders.length > 0)
      headers['access-control-expose-headers'] = rule.spec.exposedHeaders.join(', ');
    if (rule.spec.maxAgeSeconds !== undefined)
      headers['access-control-max-age'] = String(rule.spec.maxAgeSeconds);
    return headers;
  }
}
