import type { ListParams, ListResult, ObjectRecord } from './types';

/** S3 lists keys in UTF-8 byte order, which is code point order; JS `<` compares UTF-16 units. */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 || y >= 0xd800) {
      const cx = a.codePointAt(i)!;
      const cy = b.codePointAt(i)!;
      if (cx !== cy) return cx < cy ? -1 : 1;
      continue;
    }
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/**
 * The bucket's current records by key, plus the keys in S3's order so that a listing page costs a
 * binary search and the page itself, whatever the bucket's size.
 */
export class KeyIndex {
  private readonly records = new Map<string, ObjectRecord>();
  private sortedKeys: string[] = [];

  /** Starts from the records recovered from disk. */
  constructor(records: Iterable<ObjectRecord> = []) {
    for (const record of records) this.records.set(record.key, record);
    this.sortedKeys = [...this.records.keys()].sort(compareKeys);
  }

  get(key: string): ObjectRecord | undefined {
    return this.records.get(key);
  }

  get size(): number {
    return this.records.size;
  }

  /** Makes `record` the key's current record; returns the one it replaces. */
  set(record: ObjectRecord): ObjectRecord | undefined {
    const previous = this.records.get(record.key);
    this.records.set(record.key, record);
    if (!previous) this.sortedKeys.splice(this.lowerBound(record.key), 0, record.key);
    return previous;
  }

  delete(key: string): void {
    this.records.delete(key);
    const at = this.lowerBound(key);
    if (this.sortedKeys[at] === key) this.sortedKeys.splice(at, 1);
  }

  list(params: ListParams): ListResult {
    const { prefix, delimiter, startAfter, continueFrom, maxKeys } = params;
    const contents: ObjectRecord[] = [];
    const commonPrefixes: string[] = [];
    const keys = this.sortedKeys;
    let start = prefix === '' ? 0 : this.lowerBound(prefix);
    if (startAfter !== undefined) start = Math.max(start, this.upperBound(startAfter));
    if (continueFrom !== undefined) start = Math.max(start, this.lowerBound(continueFrom));
    for (let i = start; i < keys.length; i++) {
      const key = keys[i]!;
      if (!key.startsWith(prefix)) break;
      if (contents.length + commonPrefixes.length >= maxKeys) {
        return { contents, commonPrefixes, isTruncated: true, continueFrom: key };
      }
      if (delimiter) {
        const at = key.indexOf(delimiter, prefix.length);
        if (at !== -1) {
          const common = key.slice(0, at + delimiter.length);
          commonPrefixes.push(common);
          // Skip every key under this common prefix: they all sort before the prefix's successor.
          i = this.upperBoundPrefix(common) - 1;
          continue;
        }
      }
      contents.push(this.records.get(key)!);
    }
    return { contents, commonPrefixes, isTruncated: false };
  }

  private lowerBound(value: string): number {
    const keys = this.sortedKeys;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(keys[mid]!, value) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private upperBound(value: string): number {
    const keys = this.sortedKeys;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(keys[mid]!, value) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first key that does not start with `prefix` (all keys from lowerBound(prefix) on that do are contiguous). */
  private upperBoundPrefix(prefix: string): number {
    const keys = this.sortedKeys;
    let lo = this.lowerBound(prefix);
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]!.startsWith(prefix)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
