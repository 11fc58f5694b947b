// The signed-in user's images across their three folders, and the moves between them.
import { copy, list, remove } from 'aws-amplify/storage';
import { folderFor, movedPath, parseImagePath, VISIBILITIES, type Visibility } from './paths';

export interface OwnImage {
  path: string;
  visibility: Visibility;
  fileName: string;
  lastModified?: Date;
  eTag?: string;
}

export async function listOwnImages(): Promise<OwnImage[]> {
  const folders = await Promise.all(
    VISIBILITIES.map((visibility) =>
      list({
        path: ({ identityId }) => {
          if (!identityId) throw new Error('No identity id: the session has no AWS credentials.');
          return folderFor(visibility, identityId);
        },
        options: { listAll: true },
      }),
    ),
  );
  const images = folders.flatMap(({ items }) =>
    items.flatMap((item) => {
      const parsed = parseImagePath(item.path);
      if (!parsed) return [];
      return [
        {
          path: item.path,
          visibility: parsed.visibility,
          fileName: parsed.fileName,
          lastModified: item.lastModified,
          eTag: item.eTag,
        },
      ];
    }),
  );
  return images.sort((a, b) => (b.lastModified?.getTime() ?? 0) - (a.lastModified?.getTime() ?? 0));
}

export type MoveOutcome =
  | { kind: 'moved'; path: string }
  | { kind: 'copy-failed'; error: unknown }
  | { kind: 'delete-failed'; path: string; error: unknown };

/**
 * S3 has no move: copy to the new folder, then delete the old object. A failed copy leaves the
 * original untouched; a failed delete after a good copy leaves two copies, and says so.
 */
export async function changeVisibility(image: OwnImage, to: Visibility): Promise<MoveOutcome> {
  const destination = movedPath(image.path, to);
  try {
    await copy({
      // The eTag makes the copy fail if the object changed since it was listed.
      source: { path: image.path, ...(image.eTag ? { eTag: image.eTag } : {}) },
      destination: { path: destination },
    });
  } catch (error) {
    return { kind: 'copy-failed', error };
  }
  try {
    await remove({ path: image.path });
  } catch (error) {
    return { kind: 'delete-failed', path: destination, error };
  }
  return { kind: 'moved', path: destination };
}

export async function deleteImage(image: OwnImage): Promise<void> {
  await remove({ path: image.path });
}
