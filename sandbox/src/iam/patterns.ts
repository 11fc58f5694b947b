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
 * Compiles a policy pattern to an anchored RegExp, or `undefined` when it references a variable
 * that the request does not define (the caller then treats the pattern as not matching).
 */
export function compilePattern(
  pattern: string,
  context: RequestContext,
  options: PatternOptions,
): RegExp | undefined {
  let source = '';
  let literal = '';
  let i = 0;
  while (i < pattern.length) {
    const char = pattern[i]!;
    if (options.variables && char === '$' && pattern[i + 1] === '{') {
      const end = pattern.indexOf('}', i + 2);
      if (end !== -1) {
        const value = resolveVariable(pattern.slice(i + 2, end), context);
        if (value === undefined) return undefined;
        literal += value;
        i = end + 1;
        continue;
      }
    }
    if (options.wildcards && (char === '*' || char === '?')) {
      source += escapeRegExp(literal) + (char === '*' ? '.*' : '.');
      literal = '';
    } else {
      literal += char;
    }
    i += 1;
  }
  source += escapeRegExp(literal);
  const flags = options.ignoreCase ? 'is' : 's';
  const key = `${flags}/${source}`;
  let regExp = compiled.get(key);
  if (!regExp) {
    // Every S3 request evaluates dozens of patterns; building each RegExp once keeps that cheap.
    if (compiled.size >= COMPILED_LIMIT) compiled.clear();
    regExp = new RegExp(`^${source}$`, flags);
    compiled.set(key, regExp);
  }
  return regExp;
}

const COMPILED_LIMIT = 10_000;
const compiled = new Map<string, RegExp>();

export function matchesPattern(
  pattern: string,
  value: string,
  context: RequestContext,
  options: PatternOptions,
): boolean {
  if (!/[*?$]/.test(pattern)) {
    return options.ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  }
  return compilePattern(pattern, context, options)?.test(value) ?? false;
}

/** Whether the pattern uses a `${...}` variable that the request does not define. */
export function referencesUndefinedVariable(pattern: string, context: RequestContext): boolean {
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
  const options = { variables, wildcards: true, ignoreCase: false };
  if (pattern === '*') return true;
  const patternParts = splitArn(pattern, variables);
  while (patternParts.length < 6) patternParts.push('*');
  const arnParts = splitArn(arn, false);
  if (arnParts.length !== 6) return false;
  return patternParts.every((part, index) => matchesPattern(part, arnParts[index]!, context, options));
}

/**
 * Splits on the first five colons; in a pattern with variables, colons inside `${...}` (as in
 * `${cognito-identity.amazonaws.com:sub}`) do not count.
 */
function splitArn(value: string, variables: boolean): string[] {
  const out: string[] = [];
  let current = '';
  let depth = 0;
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    if (variables && char === '$' && value[i + 1] === '{') depth += 1;
    if (variables && char === '}' && depth > 0) depth -= 1;
    if (char === ':' && depth === 0 && out.length < 5) {
      out.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  out.push(current);
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
