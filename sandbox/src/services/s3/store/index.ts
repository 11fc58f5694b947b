import { link, mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Logger } from '../../../core/logger';
import type { ChecksumAlgorithm } from '../checksums';
import { FolderSync, metaName, randomName, splitMeta, tempName, writeAtomic } from './disk';
import { KeyIndex } from './key-index';
import { recoverObjects, recoverUploads } from './recovery';
import { nextSequencer } from './sequencer';
import {
  INLINE_LIMIT,
  StaleRecordError,
  type ChangeRequest,
  type ObjectEventSink,
  type DataSegment,
  type ListParams,
  type ListResult,
  type ObjectAttributes,
  type ObjectRecord,
  type PartRecord,
  type Precondition,
  type PreparedEvents,
  type StagedData,
  type StoreOptions,
  type UploadRecord,
} from './types';
import { UploadStore } from './uploads';

export * from './types';
export { compareKeys } from './key-index';
export { compareSequencers } from './sequencer';

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
 *
 * BucketStore is the bucket's one entry point; the jobs behind it live beside it: the key index
 * (key-index.ts), atomic writes and the file layout (disk.ts), multipart uploads (uploads.ts), and
 * recovery at start (recovery.ts).
 */

const WRITE_BATCH = 1024 * 1024;
const SMALL_READ = 64 * 1024;

export class BucketStore {
  /** Serialises commits and deletes per key, so the previous data is released exactly once. */
  private readonly keyLocks = new Map<string, Promise<unknown>>();
  private readonly objectsDirSync: FolderSync;

  private constructor(
    readonly name: string,
    private readonly objectsDir: string,
    private readonly index: KeyIndex,
    private readonly uploads: UploadStore,
    private readonly durable: boolean,
    private readonly events: ObjectEventSink | undefined,
  ) {
    this.objectsDirSync = new FolderSync(objectsDir);
  }

  static async open(
    name: string,
    dir: string,
    logger: Logger,
    options: StoreOptions = {},
  ): Promise<BucketStore> {
    const objectsDir = join(dir, 'objects');
    const uploadsDir = join(dir, 'uploads');
    await mkdir(objectsDir, { recursive: true });
    await mkdir(uploadsDir, { recursive: true });
    const durable = options.durable ?? false;
    const index = new KeyIndex(await recoverObjects(objectsDir, name, logger));
    const uploads = new UploadStore(uploadsDir, durable, await recoverUploads(uploadsDir));
    return new BucketStore(name, objectsDir, index, uploads, durable, options.events);
  }

  // ---- reads -------------------------------------------------------------------------------

  get(key: string): ObjectRecord | undefined {
    return this.index.get(key);
  }

  get objectCount(): number {
    return this.index.size;
  }

  list(params: ListParams): ListResult {
    return this.index.list(params);
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
      // At most INLINE_LIMIT plus a line, from the page cache: see SMALL_SYNC_IO in disk.ts.
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
    const dir = uploadId === undefined ? this.objectsDir : this.uploads.dir(uploadId);
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
          tmpName = tempName();
          handle = await open(join(dir, tmpName), 'w');
        }
        if (handle && batchBytes >= WRITE_BATCH) {
          await handle.writev(batch);
          batch = [];
          batchBytes = 0;
        }
      }
      if (!handle && !inlineAllowed) {
        tmpName = tempName();
        handle = await open(join(dir, tmpName), 'w');
      }
      if (!handle) return { dir, inline: Buffer.concat(batch, size), size };
      if (batch.length > 0) await handle.writev(batch);
      if (this.durable) await handle.datasync();
    } catch (err) {
      await handle?.close();
      if (tmpName) await rm(join(dir, tmpName), { force: true });
      throw this.uploads.goneOr(uploadId, err);
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
    const dir = uploadId === undefined ? this.objectsDir : this.uploads.dir(uploadId);
    const tmpName = tempName();
    const handle = await open(join(dir, tmpName), 'w').catch((err: unknown) => {
      throw this.uploads.goneOr(uploadId, err);
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
    fields: Omit<ObjectRecord, 'key' | 'size' | 'segments' | 'sequencer'>,
    precondition?: Precondition,
    request?: ChangeRequest,
  ): Promise<ObjectRecord> {
    if (staged.inline) {
      const record = { ...fields, key, size: staged.size, segments: [], inline: true };
      return this.publish(record, precondition, request, staged.inline);
    }
    const file = `${randomName()}.bin`;
    await rename(join(staged.dir, staged.tmpName!), join(this.objectsDir, file));
    const record: ObjectRecord = {
      ...fields,
      key,
      size: staged.size,
      segments: [{ file, size: staged.size }],
    };
    return this.publish(record, precondition, request);
  }

  /** Removes the key's object; `request` names the event to send about it (none when nothing was there). */
  async delete(key: string, request?: ChangeRequest): Promise<boolean> {
    return this.withKeyLock(key, async () => {
      const previous = this.index.get(key);
      if (!previous) return false;
      const events =
        request &&
        (await this.events?.prepare(
          this.name,
          { kind: 'removed', key, sequencer: nextSequencer() },
          request,
        ));
      try {
        await rm(join(this.objectsDir, metaName(key)), { force: true });
      } catch (err) {
        await events?.abandoned();
        throw err;
      }
      if (this.durable) await this.objectsDirSync.sync();
      this.index.delete(key);
      events?.committed();
      await this.releaseData(previous);
      return true;
    });
  }

  /**
   * Makes `record` the object's current version; its data files must already be in objects/, and are
   * removed again when `precondition` throws or the metadata cannot be written.
   */
  private async publish(
    unsequenced: ObjectRecord,
    precondition: Precondition | undefined,
    request: ChangeRequest | undefined,
    inlineData?: Buffer,
  ): Promise<ObjectRecord> {
    return this.withKeyLock(unsequenced.key, async () => {
      // Taken under the key's lock, so the key's records and events are ordered as they commit.
      const record = { ...unsequenced, sequencer: nextSequencer() };
      let events: PreparedEvents | undefined;
      try {
        precondition?.(this.index.get(record.key));
        if (request) events = await this.events?.prepare(this.name, { kind: 'created', record }, request);
        const line = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
        await writeAtomic(
          this.objectsDir,
          metaName(record.key),
          inlineData ? Buffer.concat([line, inlineData]) : line,
          this.durable,
        );
      } catch (err) {
        // Refused, or the metadata could not be written: nothing references the data files.
        await events?.abandoned();
        await this.releaseData(record);
        throw err;
      }
      events?.committed();
      // One fsync of objects/, shared between concurrent commits, makes this rename and the data
      // file's earlier rename durable.
      if (this.durable) await this.objectsDirSync.sync();
      const previous = this.index.set(record);
      if (previous) await this.releaseData(previous);
      return record;
    });
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

  createUpload(
    key: string,
    attributes: ObjectAttributes,
    now: Date,
    checksumAlgorithm?: ChecksumAlgorithm,
  ): Promise<UploadRecord> {
    return this.uploads.create(key, attributes, now, checksumAlgorithm);
  }

  getUpload(uploadId: string, key: string): UploadRecord {
    return this.uploads.get(uploadId, key);
  }

  listUploads(): UploadRecord[] {
    return this.uploads.list();
  }

  commitPart(
    upload: UploadRecord,
    staged: StagedData,
    fields: Omit<PartRecord, 'size' | 'file'>,
  ): Promise<PartRecord> {
    return this.uploads.commitPart(upload, staged, fields);
  }

  /**
   * Publishes the chosen parts as one object. The part files are hard-linked into objects/ (no
   * copy, so completion costs the same for 5 MiB and 5 GiB); the upload folder goes last. When
   * `precondition` refuses, the links are removed and the upload stays as it was.
   */
  async completeUpload(
    upload: UploadRecord,
    parts: readonly PartRecord[],
    fields: Omit<ObjectRecord, 'key' | 'size' | 'segments' | 'sequencer' | keyof ObjectAttributes>,
    precondition?: Precondition,
    request?: ChangeRequest,
  ): Promise<ObjectRecord> {
    const dir = this.uploads.dir(upload.uploadId);
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
      request,
    );
    await this.uploads.remove(upload);
    return record;
  }

  async abortUpload(upload: UploadRecord): Promise<void> {
    await this.uploads.remove(upload);
  }
}

/** A data file that vanished was released by a newer write or a delete after the record was looked up. */
function staleIfMissing(err: unknown, record: ObjectRecord): unknown {
  return (err as NodeJS.ErrnoException).code === 'ENOENT' ? new StaleRecordError(record.key) : err;
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
