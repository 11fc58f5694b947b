/**
 * The identity pool's temporary credentials, which S3 looks up by access key id to check
 * signatures and find the caller's role. One small file per key (written atomically), so
 * issuing credentials never rewrites a growing document; expired keys are swept.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/atomic-file';
import type { Clock } from '../../core/clock';
import { systemClock } from '../../core/clock';
import type { CredentialStore, SessionCredentials } from '../../core/credentials';

interface StoredCredentials extends Omit<SessionCredentials, 'expiration'> {
  readonly expiration: string;
}

const KEY_FILE = /^(ASIA[A-Z0-9]{16})\.json$/;

export class FileCredentialStore implements CredentialStore {
  private readonly cache = new Map<string, SessionCredentials>();

  private constructor(
    private readonly dir: string | undefined,
    private readonly clock: Clock,
  ) {}

  /** Loads the credentials still valid from `dir` (e.g. `<stateDir>/credentials`) and deletes the expired ones. */
  static async open(dir: string, clock: Clock = systemClock): Promise<FileCredentialStore> {
    const store = new FileCredentialStore(dir, clock);
    const names = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [] as string[];
      throw err;
    });
    for (const name of names) {
      const match = KEY_FILE.exec(name);
      if (!match) continue;
      const stored = JSON.parse(await readFile(join(dir, name), 'utf8')) as StoredCredentials;
      store.cache.set(match[1] as string, { ...stored, expiration: new Date(stored.expiration) });
    }
    await store.sweep();
    return store;
  }

  /** A store that never touches the disk (unit tests). */
  static inMemory(clock: Clock = systemClock): FileCredentialStore {
    return new FileCredentialStore(undefined, clock);
  }

  async put(credentials: SessionCredentials): Promise<void> {
    if (!KEY_FILE.test(`${credentials.accessKeyId}.json`)) {
      throw new Error(`Not a temporary access key id: ${credentials.accessKeyId}`);
    }
    if (this.dir) {
      const stored: StoredCredentials = { ...credentials, expiration: credentials.expiration.toISOString() };
      await writeFileAtomic(join(this.dir, `${credentials.accessKeyId}.json`), JSON.stringify(stored));
    }
    this.cache.set(credentials.accessKeyId, credentials);
    await this.sweep();
  }

  /** Expired credentials are still returned, so S3 can answer ExpiredToken rather than InvalidAccessKeyId. */
  async get(accessKeyId: string): Promise<SessionCredentials | undefined> {
    return this.cache.get(accessKeyId);
  }

  /** Drops credentials expired for more than a day (long enough for S3 to report them as expired). */
  private async sweep(): Promise<void> {
    const cutoff = this.clock.now().getTime() - 24 * 60 * 60 * 1000;
    for (const [id, c] of this.cache) {
      if (c.expiration.getTime() >= cutoff) continue;
      this.cache.delete(id);
      if (this.dir) await rm(join(this.dir, `${id}.json`), { force: true });
    }
  }
}
