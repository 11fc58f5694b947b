/**
 * IAM string patterns: `*` / `?` wildcards and `${...}` policy variables.
 *
 * Hand-written because no small library matches IAM's rules: substituted variable values are
 * literal (an identity id never acts as a wildcard), `${*}` `${?}` `${$}` are escapes, and an
 * undefined variable makes the whole pattern unusable.
 */
import type { RequestContext } from './context';

/** Policy variables are only substituted in policies with this version; older policies are literal. */
export const VARIABLES_VERSION = '2012-10-17';

export interface PatternOptions {
  /** Expand `${...}` (only for Version 2012-10-17 policies). */
  readonly variables: boolean;
  /** Treat `*` and `?` as wildcards (false for StringEquals and friends). */
  readonly wildcards: boolean;
  readonly ignoreCase: boolean;
}

/**
 * A policy pattern parsed once: RegExp source pieces with the `${...}` variables left between them,
 * so that a request only substitutes its own values (a pattern is matched on every S3 request).
 */
interface ParsedPattern {
  /** Escaped RegExp source, or the body of a variable to substitute (as a literal). */
  readonly pieces: readonly (string | { readonly variable: string })[];
  readonly flags: string;
  /** Set when the pattern has no variables: the finished RegExp. */
  readonly regExp?: RegExp;
}

function parsePattern(pattern: string, options: PatternOptions): ParsedPattern {
  const pieces: (string | { variable: string })[] = [];
  let literal = '';
  let i = 0;
  while (i < pattern.length) {
    const char = pattern[i]!;
    if (options.variables && char === '$' && pattern[i + 1] === '{') {
      const end = pattern.indexOf('}', i + 2);
      if (end !== -1) {
        pieces.push(escapeRegExp(literal), { variable: pattern.slice(i + 2, end) });
        literal = '';
        i = end + 1;
        continue;
      }
    }
    if (options.wildcards && (char === '*' || char === '?')) {
      pieces.push(escapeRegExp(literal) + (char === '*' ? '.*' : '.'));
      literal = '';
    } else {
      literal += char;
    }
    i += 1;
  }
  pieces.push(escapeRegExp(literal));
  const flags = options.ignoreCase ? 'is' : 's';
  if (pieces.some((piece) => typeof piece !== 'string')) return { pieces, flags };
  return { pieces, flags, regExp: new RegExp(`^${pieces.join('')}$`, flags) };
}

/**
 * The anchored RegExp for a pattern in this request, or `undefined` when it references a variable
 * that the request does not define (the caller then treats the pattern as not matching).
 */
function compilePattern(
  pattern: string,
  context: RequestContext,
  options: PatternOptions,
): RegExp | undefined {
  const cache = parsedPatterns[(+options.variables << 2) | (+options.wildcards << 1) | +options.ignoreCase]!;
  const parsed = cached(cache, pattern, () => parsePattern(pattern, options));
  if (parsed.regExp) return parsed.regExp;
  let source = '';
  for (const piece of parsed.pieces) {
    if (typeof piece === 'string') {
      source += piece;
      continue;
    }
    const value = resolveVariable(piece.variable, context);
    if (value === undefined) return undefined;
    source += escapeRegExp(value);
  }
  // Substituted patterns differ per caller (identity ids), so their RegExps are cached by source.
  const substituted = options.ignoreCase ? substitutedIgnoringCase : substitutedPatterns;
  return cached(substituted, source, () => new RegExp(`^${source}$`, parsed.flags));
}

// Bounded because evaluate() accepts any policy and substituted patterns grow with the callers.
const CACHE_LIMIT = 10_000;
// Keyed by the pattern string itself (one map per option set): a string keeps its hash, a built key would not.
const parsedPatterns = Array.from({ length: 8 }, () => new Map<string, ParsedPattern>());
const substitutedPatterns = new Map<string, RegExp>();
const substitutedIgnoringCase = new Map<string, RegExp>();
const arnPatterns = [new Map<string, readonly string[]>(), new Map<string, readonly string[]>()];

function cached<T>(cache: Map<string, T>, key: string, build: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    value = build();
    cache.set(key, value);
  }
  return value;
}

export function matchesPattern(
  pattern: string,
  value: string,
  context: RequestContext,
  options: PatternOptions,
): boolean {
  if (!/[*?$]/.test(pattern)) {
    if (pattern === value) return true;
    return options.ignoreCase && pattern.toLowerCase() === value.toLowerCase();
  }
  return compilePattern(pattern, context, options)?.test(value) ?? false;
}

/** Whether the pattern uses a `${...}` variable that the request does not define. */
export function referencesUndefinedVariable(pattern: string, context: RequestContext): boolean {
  if (!pattern.includes('${')) return false;
  for (const match of pattern.matchAll(/\$\{([^}]*)\}/g)) {
    if (resolveVariable(match[1]!, context) === undefined) return true;
  }
  return false;
}

/**
 * ARN patterns match segment by segment: a wildcard never spans the colons between partition,
 * service, region and account (the resource part keeps its own colons). A short pattern is
 * padded with `*` segments, so `arn:*` matches every ARN; a lone `*` matches anything.
 */
export function matchesArn(
  pattern: string,
  arn: string,
  context: RequestContext,
  variables: boolean,
): boolean {
  if (pattern === '*') return true;
  const options = variables ? ARN_WITH_VARIABLES : ARN_LITERAL;
  const patternParts = cached(arnPatterns[+variables]!, pattern, () => {
    const parts = splitArn(pattern, variables);
    while (parts.length < 6) parts.push('*');
    return parts;
  });
  const arnParts = splitArn(arn, false);
  if (arnParts.length !== 6) return false;
  return patternParts.every((part, index) => matchesPattern(part, arnParts[index]!, context, options));
}

const ARN_WITH_VARIABLES: PatternOptions = { variables: true, wildcards: true, ignoreCase: false };
const ARN_LITERAL: PatternOptions = { variables: false, wildcards: true, ignoreCase: false };

/**
 * Splits on the first five colons; in a pattern with variables, colons inside `${...}` (as in
 * `${cognito-identity.amazonaws.com:sub}`) do not count.
 */
function splitArn(value: string, variables: boolean): string[] {
  const out: string[] = [];
  let start = 0;
  let depth = 0;
  for (let i = 0; i < value.length && out.length < 5; i++) {
    const char = value[i];
    if (variables && char === '$' && value[i + 1] === '{') depth += 1;
    if (variables && char === '}' && depth > 0) depth -= 1;
    if (char === ':' && depth === 0) {
      out.push(value.slice(start, i));
      start = i + 1;
    }
  }
  out.push(value.slice(start));
  return out;
}

/** `${key}`, `${key, 'default'}`, or one of the escapes `${*}`, `${?}`, `${$}`. */
function resolveVariable(body: string, context: RequestContext): string | undefined {
  if (body === '*' || body === '?' || body === '$') return body;
  const match = /^\s*([^,\s]+)\s*(?:,\s*'([^']*)'\s*)?$/.exec(body);
  if (!match) return undefined;
  const value = context.get(match[1]!);
  // A multi-valued key cannot stand in for a single string.
  if (typeof value === 'string') return value;
  return value === undefined ? match[2] : undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
