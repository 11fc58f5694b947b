import { readFileSync } from 'node:fs';
import { writeFileAtomic } from './atomic-file';

/**
 * One JSON document kept in memory and persisted atomically after each change. Reads are
 * synchronous (startup only); saves are queued so two writes never race on the same file.
 */
export class JsonDoc<T> {
  private pending: Promise<void> = Promise.resolve();

  private constructor(
    private readonly path: string | undefined,
    public data: T,
  ) {}

  /** A document that is never written to disk, for tests and throwaway state. */
  static inMemory<T>(data: T): JsonDoc<T> {
    return new JsonDoc<T>(undefined, data);
  }

  static load<T>(path: string, initial: () => T): JsonDoc<T> {
    let data: T;
    try {
      data = JSON.parse(readFileSync(path, 'utf8')) as T;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      data = initial();
    }
    return new JsonDoc(path, data);
  }

  /** Persists the document as it is when the queued write runs; resolves once it is durable. */
  save(): Promise<void> {
    const path = this.path;
    if (path === undefined) return Promise.resolve();
    const next = this.pending.then(() => writeFileAtomic(path, JSON.stringify(this.data)));
    this.pending = next.catch(() => undefined);
    return next;
  }
}
