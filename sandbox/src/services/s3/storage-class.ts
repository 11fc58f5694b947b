import type { IncomingMessage } from 'node:http';
import { s3Errors } from './errors';

/**
 * The storage classes a general purpose bucket takes in `x-amz-storage-class` (PutObject,
 * CreateMultipartUpload, CopyObject). Outposts, Snow, directory-bucket (EXPRESS_ONEZONE) and FSx
 * classes belong to other kinds of buckets: S3 refuses them here like an unknown name.
 */
const STORAGE_CLASSES = [
  'STANDARD',
  'REDUCED_REDUNDANCY',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER',
  'GLACIER_IR',
  'DEEP_ARCHIVE',
] as const;

export type StorageClass = (typeof STORAGE_CLASSES)[number];

/** Classes whose bytes are offline until RestoreObject (which the sandbox does not emulate). */
const ARCHIVED: ReadonlySet<StorageClass> = new Set(['GLACIER', 'DEEP_ARCHIVE']);

function isStorageClass(value: string): value is StorageClass {
  return (STORAGE_CLASSES as readonly string[]).includes(value);
}

/** The class a write asks for; undefined for STANDARD, the default; InvalidStorageClass otherwise. */
export function requestedStorageClass(headers: IncomingMessage['headers']): StorageClass | undefined {
  const value = headers['x-amz-storage-class'];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !isStorageClass(value)) throw s3Errors.invalidStorageClass();
  return value === 'STANDARD' ? undefined : value;
}

/** Whether an object's bytes are offline (GLACIER, DEEP_ARCHIVE): only its metadata can be read. */
export function isArchived(storageClass: StorageClass | undefined): storageClass is StorageClass {
  return storageClass !== undefined && ARCHIVED.has(storageClass);
}

/** GetObject (and a copy) of an archived object is refused until it is restored, as on S3. */
export function checkReadable(storageClass: StorageClass | undefined): void {
  if (isArchived(storageClass)) throw s3Errors.invalidObjectState(storageClass);
}
