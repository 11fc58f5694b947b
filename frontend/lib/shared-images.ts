// Other people's images shared with signed-in users (`protected/`). Read only: a signed-in user may
// list and read all of `protected/` but write only their own folder (docs/security-model.md#storage-matrix).
import { PROTECTED_FOLDER } from '@image-share/contracts/storage';
import { list } from 'aws-amplify/storage';
import { folderPath, parseImagePath } from './paths';

export interface SharedImage {
  path: string;
  fileName: string;
  lastModified?: Date;
}

export async function listSharedImages(): Promise<SharedImage[]> {
  let own: string | undefined;
  const { items } = await list({
    // The path callback is how Amplify hands out the caller's identity id; it marks whose folder to skip.
    path: ({ identityId }) => {
      if (!identityId) throw new Error('No identity id: the session has no AWS credentials.');
      own = identityId;
      return folderPath(PROTECTED_FOLDER);
    },
    options: { listAll: true },
  });
  return items
    .flatMap((item) => {
      const parsed = parseImagePath(item.path);
      if (!parsed || parsed.visibility !== PROTECTED_FOLDER || parsed.identityId === own) return [];
      return [
        {
          path: item.path,
          fileName: parsed.fileName,
          lastModified: item.lastModified,
        },
      ];
    })
    .sort((a, b) => (b.lastModified?.getTime() ?? 0) - (a.lastModified?.getTime() ?? 0));
}
