/**
 * How the store writes: every file that readers or a restart may see is written to a temp name and
 * renamed over its target, so a killed process leaves the old content or the new, never a mix.
 * fsync (of the file, and of its folder, shared between concurrent writers) is only added when the
 * store is durable.
 */
import { createHash, randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir } from '../../../core/atomic-file';
import { INLINE_LIMIT, type ObjectRecord } from './types';

/**
 * Files up to this size that are not fsynced are written and read with synchronous calls: the page
 * cache answers open, write, close and rename in microseconds, while each asynchronous call is a
 * round trip through libuv's thread pool (a wake-up and two context switches), which cost a small
 * PUT or GET more CPU than the work itself. Durable writes wait for the disk, so they stay async.
 */
const SMALL_SYNC_IO = INLINE_LIMIT + 16 * 1024;

export function randomName(): string {
  return randomBytes(16).toString('hex');
}

/** A temp file's name: `.tmp-` files are what an interrupted write leaves, and recovery deletes them. */
export function tempName(): string {
  return `.tmp-${randomName()}`;
}

/** Keys never become paths: only their hash does. */
export function metaName(key: string): string {
  return `${createHash('sha256').update(key, 'utf8').digest('hex')}.meta`;
}

/** A .meta file: the record as one JSON line (JSON.stringify never emits a raw newline), then inline bytes. */
export function splitMeta(content: Buffer): { header: ObjectRecord; data: Buffer } {
  const newline = content.indexOf(0x0a);
  if (newline === -1) throw new Error('s3 metadata file without its header line');
  return {
    header: JSON.parse(content.subarray(0, newline).toString('utf8')) as ObjectRecord,
    data: content.subarray(newline + 1),
  };
}

/** Temp file + rename: readers and a restart after a kill see the old content or the new, never a mix. */
export async function writeAtomic(
  dir: string,
  name: string,
  content: string | Buffer,
  durable: boolean,
): Promise<void> {
  const tmp = join(dir, tempName());
  if (!durable && content.length <= SMALL_SYNC_IO) {
    try {
      writeFileSync(tmp, content);
      renameSync(tmp, join(dir, name));
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
    return;
  }
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(content);
    if (durable) await handle.datasync();
  } catch (err) {
    await handle.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  await rename(tmp, join(dir, name));
}

/**
 * Group commit for folder fsyncs: a caller waits for an fsync that started after it asked, and
 * every caller that arrives while one runs shares the next one. Under concurrent PUTs this turns
 * one folder fsync per object into one per batch.
 */
export class FolderSync {
  private inFlight: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(private readonly dir: string) {}

  sync(): Promise<void> {
    if (this.queued) return this.queued;
    if (!this.inFlight) return this.start();
    const after = this.inFlight.catch(() => undefined);
    this.queued = after.then(() => {
      this.queued = undefined;
      return this.start();
    });
    return this.queued;
  }

  private start(): Promise<void> {
    const run: Promise<void> = fsyncDir(this.dir).finally(() => {
      if (this.inFlight === run) this.inFlight = undefined;
    });
    this.inFlight = run;
    return run;
  }
}
