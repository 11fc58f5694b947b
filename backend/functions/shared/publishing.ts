// Publishing copies an image's renditions into public/ (the only folder the CDN serves);
// unpublishing deletes them and invalidates their CDN paths. The api function calls these when
// an owner changes visibility or an admin moderates; the pipeline when an image goes away.
import { cdnPathsOf, publicPrefix, publicRenditionKey, renditionKey } from '../../lib/records/image-keys';
import type { Cdn } from './cdn';
import type { ObjectStore } from './object-store';
import type { ImageRecord } from './records';
import { versionOf } from './sequencer';

export async function publish(store: ObjectStore, record: ImageRecord): Promise<void> {
  const version = versionOf(record.sequencer);
  for (const rendition of record.renditions ?? []) {
    await store.copy(
      renditionKey(record.folder, record.ownerId, record.imageId, version, rendition.size),
      publicRenditionKey(record.ownerId, record.imageId, version, rendition.size),
    );
  }
}

/** Removes every published file of the image (any version) and purges them from the CDN. */
export async function unpublish(
  store: ObjectStore,
  cdn: Cdn,
  image: { readonly ownerId: string; readonly imageId: string },
): Promise<void> {
  const keys = await store.list(publicPrefix(image.ownerId, image.imageId));
  await store.delete(keys);
  await cdn.invalidate(cdnPathsOf(image.ownerId, image.imageId));
}
