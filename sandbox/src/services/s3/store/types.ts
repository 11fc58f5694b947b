import type { ChecksumAlgorithm } from '../checksums';
import type { StorageClass } from '../storage-class';

/** The records the bucket store keeps, in memory and (as JSON) on disk. */

export const MIN_PART_SIZE = 5 * 1024 * 1024;
/** Bodies up to this size are kept in memory while streaming in and stored inside their .meta file. */
export const INLINE_LIMIT = 64 * 1024;

export interface StoreOptions {
  /**
   * fsync data, metadata and folders before a write is acknowledged, so that acknowledged writes
   * survive a power cut or kernel crash, not only a killed process. Off by default: a local sandbox
   * gains nothing from it, and it makes every PUT wait for the disk.
   */
  readonly durable?: boolean;
  /** Told of every change made for a request that names its event (S3 event notifications). */
  readonly events?: ObjectEventSink;
}

/** Who asked for a change, for the event S3 sends about it. */
export interface ChangeRequest {
  /** The event's name without its "s3:" prefix, e.g. "ObjectCreated:Put" or "ObjectRemoved:Delete". */
  readonly eventName: string;
  readonly eventTime: Date;
  /** As S3 writes userIdentity.principalId, e.g. "AWS:AROA...:session" or "Anonymous". */
  readonly principalId: string;
  readonly sourceIp: string;
  readonly requestId: string;
  readonly hostId: string;
  /** A removal's version id: the deleted version's, or a new delete marker's. */
  readonly versionId?: string;
}

/** A committed change to one key, as the event about it describes it. */
export type ObjectChange =
  | { readonly kind: 'created'; readonly record: ObjectRecord & { readonly sequencer: string } }
  | { readonly kind: 'removed'; readonly key: string; readonly sequencer: string };

/**
 * Hears of changes while the key is locked, before they are written: `prepare` makes the events
 * durable (so a change that commits is never left without them); then exactly one of `committed`
 * (send them) or `abandoned` (the change was not written) follows.
 */
export interface ObjectEventSink {
  prepare(bucket: string, change: ObjectChange, request: ChangeRequest): Promise<PreparedEvents | undefined>;
}

export interface PreparedEvents {
  committed(): void;
  abandoned(): Promise<void>;
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
  /** Orders the key's changes as S3 event sequencers do (fixed-width hex); absent on records from before events. */
  readonly sequencer?: string;
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
