import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fsyncDir } from '../../core/atomic-file';
import type { Logger } from '../../core/logger';
import type { ChecksumAlgorithm } from './checksums';
import type { StorageClass } from './storage-class';
import { s3Errors } from './errors';

/**
 * Objects on disk, per bucket:
 *   objects/<sha256(key)>.meta   the object's metadata as one JSON line, then, for objects up to
 *                                64 KiB, the bytes themselves (one file, one atomic rename per PUT)
 *   objects/<random>.bin         data of larger objects; unreferenced until its metadata is committed
 *   uploads/<uploadId>/          a multipart upload: upload.json, part-<n>.json, <random>.bin
 * Keys never become paths (only their hash does), so `../`, `//`, `%` or control characters in a
 * key are stored literally. A commit is: data renamed into place, then the metadata written
 * atomically (temp + rename); a crash in between leaves only unreferenced files, which `open`
 * deletes. Renames are what make a killed process leave whole objects or none; fsync only adds
 * survival of a power cut, so it is opt-in (`durable`, see StoreOptions).
 */

export interface StoreOptions {
  /**
   * fsync data, metadata and folders before a write is acknowledged, so that acknowledged writes
   * survive a power cut or kernel crash, not only a killed process. Off by default: a local sandbox
   * gains nothing from it, and it makes every PUT wait for the disk.
   */
  readonly durable?: boolean;
}

export interface DataSegment {
  readonly file: string;
  readonly size: number;
}

/** Headers stored with an object and returned on GET/HEAD. */
export interface ObjectAttributes {
  readonly contentType: string;
  readonly cacheControl?: string;
  readonly contentDisposition?: string;
  readonly contentEncoding?: string;
  readonly contentLanguage?: string;
  readonly expires?: string;
  /** Absent for STANDARD (so records written before storage classes existed read as STANDARD). */
  readonly storageClass?: StorageClass;
  /** x-amz-meta-* without the prefix, names lower-cased as S3 returns them. */
  readonly userMetadata: Readonly<Record<string, string>>;
}

export interface ObjectRecord extends ObjectAttributes {
  readonly key: string;
  readonly size: number;
  /** Quoted, as sent in the ETag header. */
  readonly etag: string;
  readonly lastModified: string; // ISO 8601
  readonly versionId?: string;
  readonly checksums: Partial<Record<ChecksumAlgorithm, string>>;
  readonly partsCount?: number;
  /** Data files in order; one for a simple PUT, the parts (hard links) for a completed multipart upload. */
  readonly segments: readonly DataSegment[];
  /** The bytes follow the metadata line in the .meta file (small objects; `segments` is empty). */
  readonly inline?: boolean;
}

export interface StagedData {
  readonly dir: string;
  /** The temp file holding the body, or undefined when the body was small enough to keep in memory. */
  readonly tmpName?: string;
  readonly inline?: Buffer;
  readonly size: number;
}

/** The record a reader holds was replaced or deleted before its bytes were read: look it up again. */
export class StaleRecordError extends Error {
  constructor(key: string) {
    super(`The object ${key} changed while it was being read.`);
  }
}

export interface PartRecord {
  readonly partNumber: number;
  readonly etag: string;
  readonly size: number;
  readonly lastModified: string;
  readonly file: string;
  readonly checksums: Partial<Record<ChecksumAlgorithm, string>>;
}

export interface UploadRecord {
  readonly uploadId: string;
  readonly key: string;
  readonly initiated: string;
  readonly attributes: ObjectAttributes;
  readonly checksumAlgorithm?: ChecksumAlgorithm;
  readonly parts: Map<number, PartRecord>;
}

/** A conditional write's check against the key's current record; throws to refuse the write. */
export type Precondition = (current: ObjectRecord | undefined) => void;

export interface ListParams {
  readonly prefix: string;
  readonly delimiter?: string;
  /** start-after: list keys strictly after this one. */
  readonly startAfter?: string;
  /** From a continuation token: list from this key on (inclusive). */
  readonly continueFrom?: string;
  readonly maxKeys: number;
}

export interface ListResult {
  readonly contents: ObjectRecord[];
  readonly commonPrefixes: string[];
  readonly isTruncated: boolean;
  /** When truncated, the first key not returned: where a continuation starts. */
  readonly continueFrom?: string;
}

export const MIN_PART_SIZE = 5 * 1024 * 1024;
const WRITE_BATCH = 1024 * 1024;
const SMALL_READ = 64 * 1024;
/** Bodies up to this size are kept in memory while streaming in and stored inside their .meta file. */
export const INLINE_LIMIT = 64 * 1024;
/**
 * Files up to this size that are not fsynced are written and read with synchronous calls: the page
 * cache answers open, write, close and rename in microseconds, while each asynchronous call is a
 * round trip through libuv's thread pool (a wake-up and two context switches), which cost a small
 * PUT or GET more CPU than the work itself. Durable writes wait for the disk, so they stay async.
 */
const SMALL_SYNC_IO = INLINE_LIMIT + 16 * 1024;
const LOAD_CONCURRENCY = 32;

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

function randomName(): string {
  return randomBytes(16).toString('hex');
}

function metaName(key: string): string {
  return `${createHash('sha256').update(key, 'utf8').digest('hex')}.meta`;
}

/** Upload ids come from the client: only ids this store could have minted are ever used as folder names. */
function isUploadIdShaped(uploadId: string): boolean {
  return /^[A-Za-z0-9_-]{20,64}$/.test(uploadId);
}

export class BucketStore {
  private readonly objectsDir: string;
  private readonly uploadsDir: string;
  private readonly records = new Map<string, ObjectRecord>();
  private sortedKeys: string[] = [];
  private readonly uploads = new Map<string, UploadRecord>();
  /** Serialises commits and deletes per key, so the previous data is released exactly once. */
  private readonly keyLocks = new Map<string, Promise<unknown>>();
  private readonly objectsDirSync: FolderSync;
  private readonly durable: boolean;

  private constructor(
    readonly name: string,
    private readonly dir: string,
    private readonly logger: Logger,
    options: StoreOptions,
  ) {
    this.objectsDir = join(dir, 'objects');
    this.uploadsDir = join(dir, 'uploads');
    this.objectsDirSync = new FolderSync(this.objectsDir);
    this.durable = options.durable ?? false;
  }

  static async open(
    name: string,
    dir: string,
    logger: Logger,
    options: StoreOptions = {},
  ): Promise<BucketStore> {
    const store = new BucketStore(name, dir, logger, options);
    await mkdir(store.objectsDir, { recursive: true });
    await mkdir(store.uploadsDir, { recursive: true });
    await store.loadObjects();
    await store.loadUploads();
    return store;
  }

  // ---- reads -------------------------------------------------------------------------------

  get(key: string): ObjectRecord | undefined {
    return this.records.get(key);
  }

  get objectCount(): number {
    return this.records.size;
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

  /**
   * Reads [start, end] (inclusive) into memory when it is small and in one file: for small objects
   * one positional read beats setting up a stream. Returns undefined when the caller should stream.
   */
  async readSmall(record: ObjectRecord, start = 0, end = record.size - 1): Promise<Buffer | undefined> {
    const length = end - start + 1;
    if (record.inline) return (await this.readInline(record)).subarray(start, end + 1);
    const [segment, ...others] = record.segments;
    if (length > SMALL_READ || !segment || others.length > 0) return undefined;
    const handle = await open(join(this.objectsDir, segment.file), 'r').catch((err: unknown) => {
      throw staleIfMissing(err, record);
    });
    try {
      const buffer = Buffer.allocUnsafe(length);
      let offset = 0;
      while (offset < length) {
        const { bytesRead } = await handle.read(buffer, offset, length - offset, start + offset);
        if (bytesRead === 0)
          throw new Error(`s3 data file ${segment.file} is shorter than its metadata says`);
        offset += bytesRead;
      }
      return buffer;
    } finally {
      await handle.close();
    }
  }

  /** The bytes stored after the metadata line; throws StaleRecordError when the file no longer holds `record`. */
  private async readInline(record: ObjectRecord): Promise<Buffer> {
    let content: Buffer;
    try {
      // At most INLINE_LIMIT plus a line, from the page cache: see SMALL_SYNC_IO.
      content = readFileSync(join(this.objectsDir, metaName(record.key)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new StaleRecordError(record.key);
      throw err;
    }
    const { header, data } = splitMeta(content);
    if (
      header.etag !== record.etag ||
      header.lastModified !== record.lastModified ||
      header.versionId !== record.versionId
    ) {
      throw new StaleRecordError(record.key);
    }
    return data;
  }

  /** Streams [start, end] (inclusive) of an object's data, across its segments. */
  async openRead(record: ObjectRecord, start = 0, end = record.size - 1): Promise<Readable> {
    if (record.inline) return Readable.from([(await this.readInline(record)).subarray(start, end + 1)]);
    // Open every needed file before answering, so a concurrent overwrite (which unlinks the old
    // files) cannot break a response that has already started.
    const pieces: Array<{ handle: FileHandle; start: number; end: number }> = [];
    try {
      let offset = 0;
      for (const segment of record.segments) {
        const segStart = offset;
        const segEnd = offset + segment.size - 1;
        offset += segment.size;
        if (segment.size === 0 || segEnd < start || segStart > end) continue;
        const handle = await open(join(this.objectsDir, segment.file), 'r');
        pieces.push({
          handle,
          start: Math.max(start, segStart) - segStart,
          end: Math.min(end, segEnd) - segStart,
        });
      }
    } catch (err) {
      await Promise.all(pieces.map((p) => p.handle.close()));
      throw staleIfMissing(err, record);
    }
    if (pieces.length === 1) {
      const [only] = pieces;
      return only!.handle.createReadStream({ start: only!.start, end: only!.end, highWaterMark: 256 * 1024 });
    }
    return Readable.from(readPieces(pieces), { objectMode: false });
  }

  // ---- writes ------------------------------------------------------------------------------

  /**
   * Streams a body to a temp file (fsynced when durable) in the objects folder, or in an upload's
   * folder. An object body that ends within INLINE_LIMIT never touches a file here: it is committed
   * inside its metadata file. Larger bodies are never held in memory beyond one write batch.
   */
  async stage(source: AsyncIterable<Buffer>, uploadId?: string): Promise<StagedData> {
    const dir = uploadId === undefined ? this.objectsDir : join(this.uploadsDir, uploadId);
    const inlineAllowed = uploadId === undefined;
    let tmpName: string | undefined;
    let handle: FileHandle | undefined;
    let size = 0;
    let batch: Buffer[] = [];
    let batchBytes = 0;
    try {
      for await (const chunk of source) {
        batch.push(chunk);
        batchBytes += chunk.length;
        size += chunk.length;
        if (!handle && (!inlineAllowed || size > INLINE_LIMIT)) {
          tmpName = `.tmp-${randomName()}`;
          handle = await open(join(dir, tmpName), 'w');
        }
        if (handle && batchBytes >= WRITE_BATCH) {
          await handle.writev(batch);
          batch = [];
          batchBytes = 0;
        }
      }
      if (!handle && !inlineAllowed) {
        tmpName = `.tmp-${randomName()}`;
        handle = await open(join(dir, tmpName), 'w');
      }
      if (!handle) return { dir, inline: Buffer.concat(batch, size), size };
      if (batch.length > 0) await handle.writev(batch);
      if (this.durable) await handle.datasync();
    } catch (err) {
      await handle?.close();
      if (tmpName) await rm(join(dir, tmpName), { force: true });
      throw this.uploadGoneOr(uploadId, err);
    }
    await handle.close();
    return { dir, tmpName, size };
  }

  /**
   * Stages a body that `fill` writes itself into a new temp file (through its descriptor, from a
   * worker thread; see body-workers.ts); `fill` resolves with the number of bytes it wrote, and only
   * once nothing writes to the descriptor any more.
   */
  async stageFile(uploadId: string | undefined, fill: (fd: number) => Promise<number>): Promise<StagedData> {
    const dir = uploadId === undefined ? this.objectsDir : join(this.uploadsDir, uploadId);
    const tmpName = `.tmp-${randomName()}`;
    const handle = await open(join(dir, tmpName), 'w').catch((err: unknown) => {
      throw this.uploadGoneOr(uploadId, err);
    });
    let size: number;
    try {
      size = await fill(handle.fd);
      if (this.durable) await handle.datasync();
    } catch (err) {
      await handle.close();
      await rm(join(dir, tmpName), { force: true });
      throw err;
    }
    await handle.close();
    return { dir, tmpName, size };
  }

  async discard(staged: StagedData): Promise<void> {
    if (staged.tmpName) await rm(join(staged.dir, staged.tmpName), { force: true });
  }

  /**
   * Makes a staged body the object's current version. `precondition` sees the current record under
   * the key's lock, so a conditional write cannot race another write to the same key; when it throws,
   * nothing is published and the staged data is released.
   */
  async commit(
    key: string,
    staged: StagedData,
    fields: Omit<ObjectRecord, 'key' | 'size' | 'segments'>,
    precondition?: Precondition,
  ): Promise<ObjectRecord> {
    if (staged.inline) {
      const record = { ...fields, key, size: staged.size, segments: [], inline: true };
      return this.publish(record, precondition, staged.inline);
    }
    const file = `${randomName()}.bin`;
    await rename(join(staged.dir, staged.tmpName!), join(this.objectsDir, file));
    const record: ObjectRecord = {
      ...fields,
      key,
      size: staged.size,
      segments: [{ file, size: staged.size }],
    };
    return this.publish(record, precondition);
  }

  async delete(key: string): Promise<boolean> {
    return this.withKeyLock(key, async () => {
      const previous = this.records.get(key);
      if (!previous) return false;
      await rm(join(this.objectsDir, metaName(key)), { force: true });
      if (this.durable) await this.objectsDirSync.sync();
      this.removeFromIndex(key);
      await this.releaseData(previous);
      return true;
    });
  }

  /**
   * Makes `record` the object's current version; its data files must already be in objects/, and are
   * removed again when `precondition` throws or the metadata cannot be written.
   */
  private async publish(
    record: ObjectRecord,
    precondition: Precondition | undefined,
    inlineData?: Buffer,
  ): Promise<ObjectRecord> {
    return this.withKeyLock(record.key, async () => {
      try {
        precondition?.(this.records.get(record.key));
        const line = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
        await this.writeAtomic(
          this.objectsDir,
          metaName(record.key),
          inlineData ? Buffer.concat([line, inlineData]) : line,
        );
      } catch (err) {
        // Refused, or the metadata could not be written: nothing references the data files.
        await this.releaseData(record);
        throw err;
      }
      // One fsync of objects/, shared between concurrent commits, makes this rename and the data
      // file's earlier rename durable.
      if (this.durable) await this.objectsDirSync.sync();
      const previous = this.records.get(record.key);
      this.records.set(record.key, record);
      if (!previous) this.insertIntoIndex(record.key);
      if (previous) await this.releaseData(previous);
      return record;
    });
  }

  /** Temp file + rename: readers and a restart after a kill see the old content or the new, never a mix. */
  private async writeAtomic(dir: string, name: string, content: string | Buffer): Promise<void> {
    const tmp = join(dir, `.tmp-${randomName()}`);
    if (!this.durable && content.length <= SMALL_SYNC_IO) {
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
      if (this.durable) await handle.datasync();
    } catch (err) {
      await handle.close();
      await rm(tmp, { force: true });
      throw err;
    }
    await handle.close();
    await rename(tmp, join(dir, name));
  }

  private async releaseData(record: ObjectRecord): Promise<void> {
    await Promise.all(record.segments.map((s) => rm(join(this.objectsDir, s.file), { force: true })));
  }

  private async withKeyLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.keyLocks.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    this.keyLocks.set(key, tail);
    try {
      return await next;
    } finally {
      if (this.keyLocks.get(key) === tail) this.keyLocks.delete(key);
    }
  }

  // ---- multipart ---------------------------------------------------------------------------

  async createUpload(
    key: string,
    attributes: ObjectAttributes,
    now: Date,
    checksumAlgorithm?: ChecksumAlgorithm,
  ): Promise<UploadRecord> {
    const uploadId = randomBytes(24).toString('base64url');
    const upload: UploadRecord = {
      uploadId,
      key,
      initiated: now.toISOString(),
      attributes,
      checksumAlgorithm,
      parts: new Map(),
    };
    const dir = join(this.uploadsDir, uploadId);
    await mkdir(dir);
    const { parts: _parts, ...persisted } = upload;
    await this.writeAtomic(dir, 'upload.json', JSON.stringify(persisted));
    if (this.durable) await fsyncDir(dir);
    this.uploads.set(uploadId, upload);
    return upload;
  }

  getUpload(uploadId: string, key: string): UploadRecord {
    const upload = isUploadIdShaped(uploadId) ? this.uploads.get(uploadId) : undefined;
    if (!upload || upload.key !== key) throw s3Errors.noSuchUpload(uploadId);
    return upload;
  }

  listUploads(): UploadRecord[] {
    return [...this.uploads.values()].sort(
      (a, b) => compareKeys(a.key, b.key) || a.initiated.localeCompare(b.initiated),
    );
  }

  async commitPart(
    upload: UploadRecord,
    staged: StagedData,
    fields: Omit<PartRecord, 'size' | 'file'>,
  ): Promise<PartRecord> {
    const dir = join(this.uploadsDir, upload.uploadId);
    const file = `${randomName()}.bin`;
    const part: PartRecord = { ...fields, size: staged.size, file };
    try {
      await rename(join(dir, staged.tmpName!), join(dir, file));
      await this.writeAtomic(dir, `part-${fields.partNumber}.json`, JSON.stringify(part));
      if (this.durable) await fsyncDir(dir);
    } catch (err) {
      throw this.uploadGoneOr(upload.uploadId, err);
    }
    if (!this.uploads.has(upload.uploadId)) {
      // Aborted or completed after this part was written: drop what we wrote.
      await rm(dir, { recursive: true, force: true });
      throw s3Errors.noSuchUpload(upload.uploadId);
    }
    const previous = upload.parts.get(fields.partNumber);
    upload.parts.set(fields.partNumber, part);
    if (previous && previous.file !== file) await rm(join(dir, previous.file), { force: true });
    return part;
  }

  /**
   * Publishes the chosen parts as one object. The part files are hard-linked into objects/ (no
   * copy, so completion costs the same for 5 MiB and 5 GiB); the upload folder goes last. When
   * `precondition` refuses, the links are removed and the upload stays as it was.
   */
  async completeUpload(
    upload: UploadRecord,
    parts: readonly PartRecord[],
    fields: Omit<ObjectRecord, 'key' | 'size' | 'segments' | keyof ObjectAttributes>,
    precondition?: Precondition,
  ): Promise<ObjectRecord> {
    const dir = join(this.uploadsDir, upload.uploadId);
    const segments: DataSegment[] = [];
    try {
      for (const part of parts) {
        const file = `${randomName()}.bin`;
        await link(join(dir, part.file), join(this.objectsDir, file));
        segments.push({ file, size: part.size });
      }
    } catch (err) {
      await Promise.all(segments.map((s) => rm(join(this.objectsDir, s.file), { force: true })));
      throw err;
    }
    const size = parts.reduce((sum, p) => sum + p.size, 0);
    const record = await this.publish(
      { ...upload.attributes, ...fields, key: upload.key, size, segments },
      precondition,
    );
    this.uploads.delete(upload.uploadId);
    await rm(dir, { recursive: true, force: true });
    return record;
  }

  /** A part's folder, staged body included, is removed when its upload is aborted or completed mid-stream. */
  private uploadGoneOr(uploadId: string | undefined, err: unknown): unknown {
    return uploadId !== undefined && !this.uploads.has(uploadId) ? s3Errors.noSuchUpload(uploadId) : err;
  }

  async abortUpload(upload: UploadRecord): Promise<void> {
    this.uploads.delete(upload.uploadId);
    await rm(join(this.uploadsDir, upload.uploadId), { recursive: true, force: true });
  }

  // ---- index -------------------------------------------------------------------------------

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

  private insertIntoIndex(key: string): void {
    const at = this.lowerBound(key);
    this.sortedKeys.splice(at, 0, key);
  }

  private removeFromIndex(key: string): void {
    this.records.delete(key);
    const at = this.lowerBound(key);
    if (this.sortedKeys[at] === key) this.sortedKeys.splice(at, 1);
  }

  // ---- startup -----------------------------------------------------------------------------

  private async loadObjects(): Promise<void> {
    const names = await readdir(this.objectsDir);
    const referenced = new Set<string>();
    const metaFiles = names.filter((n) => n.endsWith('.meta') && !n.startsWith('.'));
    await forEachLimited(metaFiles, LOAD_CONCURRENCY, async (name) => {
      const { header: record } = splitMeta(await readFile(join(this.objectsDir, name)));
      for (const segment of record.segments) referenced.add(segment.file);
      this.records.set(record.key, record);
    });
    const existing = new Set(names);
    for (const record of [...this.records.values()]) {
      if (record.segments.some((s) => !existing.has(s.file))) {
        this.logger.error('s3 object metadata names missing data; the object is dropped', {
          bucket: this.name,
          key: record.key,
        });
        this.records.delete(record.key);
      }
    }
    // Temp files and data no metadata names are what a crash mid-write leaves behind.
    const garbage = names.filter((n) => n.startsWith('.tmp-') || (n.endsWith('.bin') && !referenced.has(n)));
    await Promise.all(garbage.map((n) => rm(join(this.objectsDir, n), { force: true })));
    this.sortedKeys = [...this.records.keys()].sort(compareKeys);
  }

  private async loadUploads(): Promise<void> {
    for (const uploadId of await readdir(this.uploadsDir)) {
      const dir = join(this.uploadsDir, uploadId);
      let persisted: Omit<UploadRecord, 'parts'>;
      try {
        persisted = JSON.parse(await readFile(join(dir, 'upload.json'), 'utf8')) as Omit<
          UploadRecord,
          'parts'
        >;
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
      const garbage = names.filter(
        (n) => n.startsWith('.tmp-') || (n.endsWith('.bin') && !referenced.has(n)),
      );
      await Promise.all(garbage.map((n) => rm(join(dir, n), { force: true })));
      this.uploads.set(uploadId, { ...persisted, parts });
    }
  }
}

/** A data file that vanished was released by a newer write or a delete after the record was looked up. */
function staleIfMissing(err: unknown, record: ObjectRecord): unknown {
  return (err as NodeJS.ErrnoException).code === 'ENOENT' ? new StaleRecordError(record.key) : err;
}

/** A .meta file: the record as one JSON line (JSON.stringify never emits a raw newline), then inline bytes. */
function splitMeta(content: Buffer): { header: ObjectRecord; data: Buffer } {
  const newline = content.indexOf(0x0a);
  if (newline === -1) throw new Error('s3 metadata file without its header line');
  return {
    header: JSON.parse(content.subarray(0, newline).toString('utf8')) as ObjectRecord,
    data: content.subarray(newline + 1),
  };
}

/**
 * Group commit for folder fsyncs: a caller waits for an fsync that started after it asked, and
 * every caller that arrives while one runs shares the next one. Under concurrent PUTs this turns
 * one folder fsync per object into one per batch.
 */
class FolderSync {
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

async function* readPieces(
  pieces: ReadonlyArray<{ handle: FileHandle; start: number; end: number }>,
): AsyncGenerator<Buffer> {
  let index = 0;
  try {
    for (; index < pieces.length; index++) {
      const piece = pieces[index]!;
      const stream = piece.handle.createReadStream({
        start: piece.start,
        end: piece.end,
        highWaterMark: 256 * 1024,
      });
      for await (const chunk of stream) yield chunk as Buffer;
    }
  } finally {
    // Streams close their own handle when they end; the ones never started are closed here.
    for (let i = index + 1; i < pieces.length; i++) await pieces[i]!.handle.close();
  }
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

/** Every bucket of the model, each in `<stateDir>/s3/<bucket>/`. */
export class S3Store {
  private constructor(private readonly buckets: ReadonlyMap<string, BucketStore>) {}

  static async open(
    stateDir: string,
    bucketNames: Iterable<string>,
    logger: Logger,
    options: StoreOptions = {},
  ): Promise<S3Store> {
    const buckets = new Map<string, BucketStore>();
    for (const name of bucketNames) {
      buckets.set(name, await BucketStore.open(name, join(stateDir, 's3', name), logger, options));
    }
    return new S3Store(buckets);
  }

  bucket(name: string): BucketStore | undefined {
    return this.buckets.get(name);
  }
}
