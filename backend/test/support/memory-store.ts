import type { Cdn } from '../../functions/shared/cdn';
import type { ObjectStore } from '../../functions/shared/object-store';

export interface StoredObject {
  readonly body: Buffer;
  readonly contentType?: string;
  readonly cacheControl?: string;
}

/** An in-memory bucket behind the functions' ObjectStore interface. */
export class MemoryStore implements ObjectStore {
  readonly objects = new Map<string, StoredObject>();
  /** Called before each put; a test throws from it to simulate a crash. */
  beforePut: (key: string) => void = () => undefined;

  async get(key: string) {
    return this.objects.get(key)?.body;
  }
  async put(key: string, body: Buffer, headers: { contentType: string; cacheControl: string }) {
    this.beforePut(key);
    this.objects.set(key, { body, ...headers });
  }
  async copy(fromKey: string, toKey: string) {
    const object = this.objects.get(fromKey);
    if (!object) throw new Error(`NoSuchKey: ${fromKey}`);
    this.objects.set(toKey, object);
  }
  async list(prefix: string) {
    return [...this.objects.keys()].filter((key) => key.startsWith(prefix)).sort();
  }
  async delete(keys: readonly string[]) {
    for (const key of keys) this.objects.delete(key);
  }
  keys(prefix = '') {
    return [...this.objects.keys()].filter((key) => key.startsWith(prefix)).sort();
  }
}

export class RecordingCdn implements Cdn {
  readonly invalidations: string[][] = [];
  async invalidate(paths: readonly string[]) {
    this.invalidations.push([...paths]);
  }
}
