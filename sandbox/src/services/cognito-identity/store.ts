/**
 * Identity pool identities: one id per guest device, and one per user (linked to their
 * `cognito-idp.<region>.amazonaws.com/<poolId>` login), stable across sign-ins and restarts.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface IdentityRecord {
  readonly identityId: string;
  readonly identityPoolId: string;
  /** Provider name -> the user's `sub` there; empty for a guest identity. */
  logins: Record<string, string>;
  readonly createdAt: number;
  lastModifiedAt: number;
}

export interface IdentityStore {
  identity(identityId: string): IdentityRecord | undefined;
  byLogin(identityPoolId: string, provider: string, sub: string): IdentityRecord | undefined;
  save(record: IdentityRecord): Promise<void>;
}

/**
 * Every guest's first call makes an identity, so a save must not cost more as identities pile up
 * (rewriting one document of all of them did). The store is an append-only log,
 * `<stateDir>/cognito-identity/identities.log`: each save appends one record, fsynced before the save
 * resolves, and the last record for an id wins. A record is a line written with one `write` and
 * starting with its own newline, so a write that never finished (a crash, a full disk) leaves at
 * most one unreadable line, never glued to the next record: loading skips it (it was never
 * acknowledged) and keeps all the others. Loading also compacts the log (one record per identity,
 * written aside and renamed over it) when it holds superseded or unreadable lines, so its size
 * follows the number of identities. The one-document `identities.json` of earlier versions is
 * folded in at the first load.
 */
export class FileIdentityStore implements IdentityStore {
  private readonly records = new Map<string, IdentityRecord>();
  private readonly logins = new Map<string, IdentityRecord>();
  private readonly logPath: string | undefined;

  /** Without a state folder the store lives in memory (unit tests). */
  constructor(stateDir?: string) {
    if (stateDir === undefined) return;
    this.logPath = join(stateDir, 'cognito-identity', 'identities.log');
    this.load(this.logPath);
  }

  identity(identityId: string): IdentityRecord | undefined {
    return this.records.get(identityId);
  }

  byLogin(identityPoolId: string, provider: string, sub: string): IdentityRecord | undefined {
    return this.logins.get(loginKey(identityPoolId, provider, sub));
  }

  async save(record: IdentityRecord): Promise<void> {
    this.remember(record);
    if (this.logPath === undefined) return;
    const handle = await open(this.logPath, 'a', 0o600);
    try {
      await handle.write(line(record));
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  private remember(record: IdentityRecord): void {
    const previous = this.records.get(record.identityId);
    if (previous) {
      for (const [provider, sub] of Object.entries(previous.logins)) {
        this.logins.delete(loginKey(previous.identityPoolId, provider, sub));
      }
    }
    this.records.set(record.identityId, record);
    for (const [provider, sub] of Object.entries(record.logins)) {
      this.logins.set(loginKey(record.identityPoolId, provider, sub), record);
    }
  }

  private load(logPath: string): void {
    const legacyPath = join(dirname(logPath), 'identities.json');
    const legacy = readIfExists(legacyPath);
    if (legacy !== undefined) {
      const doc = JSON.parse(legacy) as { identities: Record<string, IdentityRecord> };
      for (const record of Object.values(doc.identities)) this.remember(record);
    }
    const log = readIfExists(logPath);
    let readable = 0;
    let unreadable = 0;
    for (const text of (log ?? '').split('\n')) {
      if (text === '') continue;
      let record: IdentityRecord;
      try {
        record = JSON.parse(text) as IdentityRecord;
      } catch {
        // A prefix of a JSON object never parses: this is a write that did not finish.
        unreadable += 1;
        continue;
      }
      this.remember(record);
      readable += 1;
    }
    if (log === undefined || legacy !== undefined || unreadable > 0 || readable > this.records.size) {
      compact(logPath, this.records.values());
      if (legacy !== undefined) {
        rmSync(legacyPath);
        fsyncDirSync(dirname(legacyPath));
      }
    }
  }
}

function line(record: IdentityRecord): string {
  return `\n${JSON.stringify(record)}`;
}

/** Rewrites the log with these records: aside, fsynced, renamed over it, folder fsynced. */
function compact(logPath: string, records: Iterable<IdentityRecord>): void {
  const dir = dirname(logPath);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  const fd = openSync(tmp, 'w', 0o600);
  try {
    let text = '';
    for (const record of records) text += line(record);
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, logPath);
  fsyncDirSync(dir);
}

function fsyncDirSync(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function loginKey(identityPoolId: string, provider: string, sub: string): string {
  return JSON.stringify([identityPoolId, provider, sub]);
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
