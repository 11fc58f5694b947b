// Where a user's upload goes (docs/security-model.md#storage-matrix): their own originals' folder,
// `<protected|private>/<identityId>/<file>`. The folder names come from the access rules in the
// contracts package; everything an upload becomes afterwards is the pipeline's.
import type { Visibility } from '@image-share/contracts/storage';

/** The folder a user writes into, with the trailing slash IAM rules rely on. */
export function folderFor(visibility: Visibility, identityId: string): string {
  return `${visibility}/${identityId}/`;
}

// Uploads are stored as `<epoch ms>-<original name>` so names never collide; people should see
// the name they chose.
const STORED_NAME = /^(\d{13})-(.+)$/;

export function storedFileName(originalName: string, now: number): string {
  // Slashes would create folders; control characters make keys unreadable in every tool.
  const safe =
    Array.from(originalName, (char) => {
      const code = char.charCodeAt(0);
      return char === '/' || char === '\\' || code < 0x20 || code === 0x7f ? '_' : char;
    })
      .join('')
      .trim() || 'image';
  return `${now}-${safe}`;
}

export function displayFileName(fileName: string): string {
  return STORED_NAME.exec(fileName)?.[2] ?? fileName;
}
