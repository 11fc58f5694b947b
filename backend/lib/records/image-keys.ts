// Where an image's files live in the bucket, derived from the original's key. Pure, shared by
// the pipeline, the api function and (later) the web app.
import { PUBLIC_FOLDER, RENDITIONS_FOLDER } from '@image-share/contracts/storage';

/** The folders whose uploads the pipeline turns into images. */
export const ORIGINAL_FOLDERS = ['protected', 'private'] as const;
export type OriginalFolder = (typeof ORIGINAL_FOLDERS)[number];

export interface OriginalKey {
  readonly key: string;
  readonly folder: OriginalFolder;
  readonly ownerId: string;
  readonly name: string;
}

// An identity pool identity id: `<region>:<uuid>`.
const IDENTITY_ID = /^[a-z]{2}(?:-[a-z]+)+-\d:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The parts of an original's key, or undefined when the key is not an original's. */
export function parseOriginalKey(key: string): OriginalKey | undefined {
  const [folder, ownerId, ...rest] = key.split('/');
  const name = rest.join('/');
  if (!ORIGINAL_FOLDERS.includes(folder as OriginalFolder)) return undefined;
  if (ownerId === undefined || !IDENTITY_ID.test(ownerId) || name === '') return undefined;
  return { key, folder: folder as OriginalFolder, ownerId, name };
}

/** Every rendition of an image, all versions. */
export const renditionsPrefix = (folder: OriginalFolder, ownerId: string, imageId: string) =>
  `${RENDITIONS_FOLDER}/${folder}/${ownerId}/${imageId}/`;

/** Every published rendition of an image, all versions. */
export const publicPrefix = (ownerId: string, imageId: string) => `${PUBLIC_FOLDER}/${ownerId}/${imageId}/`;

/**
 * A version is the original's S3 sequencer: a re-upload under the same name gets new keys, so
 * a rendition's bytes never change under its key and it can be cached as immutable.
 */
export const renditionKey = (
  folder: OriginalFolder,
  ownerId: string,
  imageId: string,
  version: string,
  size: number,
) => `${renditionsPrefix(folder, ownerId, imageId)}${version}/${size}.webp`;

export const publicRenditionKey = (ownerId: string, imageId: string, version: string, size: number) =>
  `${publicPrefix(ownerId, imageId)}${version}/${size}.webp`;

/** The CDN path of everything published for an image (the distribution serves public/ at its root). */
export const cdnPathsOf = (ownerId: string, imageId: string) => [`/${ownerId}/${imageId}/*`];
