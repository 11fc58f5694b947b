/**
 * S3 event sequencers: hex strings that order one key's events; S3 documents that two are compared
 * after left-padding the shorter with zeros. These are milliseconds and a counter, 18 hex digits
 * like S3's, increasing across the process (so per key too) and across restarts while the clock
 * does not run backwards.
 */
const WIDTH = 18;
const COUNTER_BITS = 16n;

let last = 0n;

export function nextSequencer(now = Date.now()): string {
  const candidate = BigInt(now) << COUNTER_BITS;
  last = candidate > last ? candidate : last + 1n;
  return last.toString(16).toUpperCase().padStart(WIDTH, '0');
}

/** Negative, zero or positive as `a` orders before, with or after `b` (S3's rule: pad, then compare). */
export function compareSequencers(a: string, b: string): number {
  const width = Math.max(a.length, b.length);
  const left = a.toUpperCase().padStart(width, '0');
  const right = b.toUpperCase().padStart(width, '0');
  return left < right ? -1 : left > right ? 1 : 0;
}
