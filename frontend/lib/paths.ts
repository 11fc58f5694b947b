// Where an image lives decides who can see it (docs/security-model.md#storage-matrix). The folder
// names come from the access rules in the contracts package; these helpers are the only place in
// the web app that knows the layout: `<visibility folder>/<identityId>/<file>`.
import { VISIBILITIES, type Visibility } from '@image-share/contracts/storage';

export { VISIBILITIES, type Visibility };

export const VISIBILITY_LABELS: Record<Visibility, string> = {
  private: 'Only me',
  protected: 'Signed-in users',
  public: 'Everyone',
};

export const VISIBILITY_HINTS: Record<Visibility, string> = {
  private: 'Nobody else can open it.',
  protected: 'Anyone signed in to this site can open it.',
  public: 'Shown in the public gallery and served by the CDN.',
};

/** A whole visibility folder, as a listing prefix: `public/`. */
export function folderPath(visibility: Visibility): string {
  return `${visibility}/`;
}

/** The folder a user writes into for one visibility, with the trailing slash IAM rules rely on. */
export function folderFor(visibility: Visibility, identityId: string): string {
  return `${folderPath(visibility)}${identityId}/`;
}

export interface ParsedPath {
  visibility: Visibility;
  identityId: string;
  fileName: string;
}

/**
 * Splits `<visibility>/<identityId>/<file>`; anything else (folders, stray keys) is not an image of
 * ours. Keys with empty, `.` or `..` segments are refused too: S3 allows them (a user can write one
 * with the SDK), but in a URL the browser would resolve them to another page of the site.
 */
export function parseImagePath(path: string): ParsedPath | undefined {
  const [visibility, identityId, ...rest] = path.split('/');
  if (!VISIBILITIES.includes(visibility as Visibility) || identityId === undefined || rest.length === 0)
    return undefined;
  const fileName = rest.join('/');
  if (
    [identityId, ...fileName.split('/')].some(
      (segment) => segment === '' || segment === '.' || segment === '..',
    )
  )
    return undefined;
  return { visibility: visibility as Visibility, identityId, fileName };
}

/** The same file in another visibility folder: what a visibility change copies to. */
export function movedPath(path: string, to: Visibility): string {
  const parsed = parseImagePath(path);
  if (!parsed) throw new Error(`Not an image path: ${path}`);
  return `${folderFor(to, parsed.identityId)}${parsed.fileName}`;
}

// Uploads are stored as `<epoch ms>-<original name>` so names never collide and a folder lists
// in upload order; people should see the name they chose.
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

/** A readable title for alt text: the original name without its extension. */
export function imageTitle(fileName: string): string {
  const name = displayFileName(fileName);
  const withoutExtension = name.replace(/\.[a-z0-9]{1,5}$/i, '');
  return withoutExtension.replace(/[-_]+/g, ' ').trim() || name;
}
