/**
 * What `BucketStore.open` finds on disk after a clean stop or a kill: the committed objects and the
 * uploads in progress. A crash mid-write leaves only temp files and data that no metadata names;
 * they are deleted here, so a restart never shows a partial object.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../../core/logger';
import { splitMeta } from './disk';
import type { ObjectRecord, PartRecord, UploadRecord } from './types';

const LOAD_CONCURRENCY = 32;

/** The objects whose metadata and data are complete; everything else in objects/ is removed. */
export async function recoverObjects(
  objectsDir: string,
  bucket: string,
  logger: Logger,
): Promise<ObjectRecord[]> {
  const names = await readdir(objectsDir);
  const records: ObjectRecord[] = [];
  const metaFiles = names.filter((n) => n.endsWith('.meta') && !n.startsWith('.'));
  await forEachLimited(metaFiles, LOAD_CONCURRENCY, async (name) => {
    records.push(splitMeta(await readFile(join(objectsDir, name))).header);
  });
  const existing = new Set(names);
  const whole = records.filter((record) => {
    if (record.segments.every((s) => existing.has(s.file))) return true;
    logger.error('s3 object metadata names missing data; the object is dropped', { bucket, key: record.key });
    return false;
  });
  const referenced = new Set(records.flatMap((r) => r.segments.map((s) => s.file)));
  // Temp files and data no metadata names are what a crash mid-write leaves behind.
  const garbage = names.filter((n) => n.startsWith('.tmp-') || (n.endsWith('.bin') && !referenced.has(n)));
  await Promise.all(garbage.map((n) => rm(join(objectsDir, n), { force: true })));
  return whole;
}

/** The uploads that were recorded, each with the parts whose metadata was written. */
export async function recoverUploads(uploadsDir: string): Promise<UploadRecord[]> {
  const uploads: UploadRecord[] = [];
  for (const uploadId of await readdir(uploadsDir)) {
    const dir = join(uploadsDir, uploadId);
    let persisted: Omit<UploadRecord, 'parts'>;
    try {
      persisted = JSON.parse(await readFile(join(dir, 'upload.json'), 'utf8')) as Omit<UploadRecord, 'parts'>;
    } catch {
      // Created but never recorded (crash inside CreateMultipartUpload): nobody holds its id.
      await rm(dir, { recursive: true, force: true });
      continue;
    }
    const parts = new Map<number, PartRecord>();
    const names = await readdir(dir);
    for (const name of names.filter((n) => /^part-\d+\.json$/.test(n))) {
      const part = JSON.parse(await readFile(join(dir, name), 'utf8')) as PartRecord;
      parts.set(part.partNumber, part);
    }
    const referenced = new Set([...parts.values()].map((p) => p.file));
    const garbage = names.filter((n) => n.startsWith('.tmp-') || (n.endsWith('.bin') && !referenced.has(n)));
    await Promise.all(garbage.map((n) => rm(join(dir, n), { force: true })));
    uploads.push({ ...persisted, parts });
  }
  return uploads;
}

async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(workers);
}
