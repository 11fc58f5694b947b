/**
 * Multipart uploads in progress, each in its own folder (uploads/<uploadId>/: upload.json,
 * part-<n>.json and the parts' data). Completing one is the bucket's job (its parts become an
 * object); this keeps the uploads and their parts.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir } from '../../../core/atomic-file';
import type { ChecksumAlgorithm } from '../checksums';
import { s3Errors } from '../errors';
import { randomName, writeAtomic } from './disk';
import { compareKeys } from './key-index';
import type { ObjectAttributes, PartRecord, StagedData, UploadRecord } from './types';

/** Upload ids come from the client: only ids this store could have minted are ever used as folder names. */
function isUploadIdShaped(uploadId: string): boolean {
  return /^[A-Za-z0-9_-]{20,64}$/.test(uploadId);
}

export class UploadStore {
  private readonly uploads = new Map<string, UploadRecord>();

  /** Starts from the uploads recovered from disk. */
  constructor(
    private readonly uploadsDir: string,
    private readonly durable: boolean,
    recovered: Iterable<UploadRecord>,
  ) {
    for (const upload of recovered) this.uploads.set(upload.uploadId, upload);
  }

  /** The folder of an upload: where its parts are staged and kept. */
  dir(uploadId: string): string {
    return join(this.uploadsDir, uploadId);
  }

  async create(
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
    const dir = this.dir(uploadId);
    await mkdir(dir);
    const { parts: _parts, ...persisted } = upload;
    await writeAtomic(dir, 'upload.json', JSON.stringify(persisted), this.durable);
    if (this.durable) await fsyncDir(dir);
    this.uploads.set(uploadId, upload);
    return upload;
  }

  get(uploadId: string, key: string): UploadRecord {
    const upload = isUploadIdShaped(uploadId) ? this.uploads.get(uploadId) : undefined;
    if (!upload || upload.key !== key) throw s3Errors.noSuchUpload(uploadId);
    return upload;
  }

  list(): UploadRecord[] {
    return [...this.uploads.values()].sort(
      (a, b) => compareKeys(a.key, b.key) || a.initiated.localeCompare(b.initiated),
    );
  }

  async commitPart(
    upload: UploadRecord,
    staged: StagedData,
    fields: Omit<PartRecord, 'size' | 'file'>,
  ): Promise<PartRecord> {
    const dir = this.dir(upload.uploadId);
    const file = `${randomName()}.bin`;
    const part: PartRecord = { ...fields, size: staged.size, file };
    try {
      await rename(join(dir, staged.tmpName!), join(dir, file));
      await writeAtomic(dir, `part-${fields.partNumber}.json`, JSON.stringify(part), this.durable);
      if (this.durable) await fsyncDir(dir);
    } catch (err) {
      throw this.goneOr(upload.uploadId, err);
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

  /** Forgets an upload (aborted, or completed into an object) and deletes its folder. */
  async remove(upload: UploadRecord): Promise<void> {
    this.uploads.delete(upload.uploadId);
    await rm(this.dir(upload.uploadId), { recursive: true, force: true });
  }

  /** A part's folder, staged body included, is removed when its upload is aborted or completed mid-stream. */
  goneOr(uploadId: string | undefined, err: unknown): unknown {
    return uploadId !== undefined && !this.uploads.has(uploadId) ? s3Errors.noSuchUpload(uploadId) : err;
  }
}
