// What the uploader accepts. IAM cannot check size or content type
// (docs/security-model.md#what-iam-cannot-check), so these limits are for the person uploading: they fail
// fast with a reason instead of after a long upload.
export const ACCEPTED_IMAGE_TYPES = [
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'image/avif',
] as const;
const ACCEPTED_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.gif', '.webp', '.avif'] as const;
// Decimal megabytes, as file managers and Amplify UI count them.
export const MAX_FILE_SIZE = 15_000_000;
export const MAX_FILE_COUNT = 10;

export const ACCEPTED_TYPES_TEXT = 'JPEG, PNG, GIF, WebP or AVIF';

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 1000)} kB`;
  const megabytes = bytes / 1_000_000;
  return `${Number.isInteger(megabytes) || megabytes >= 10 ? Math.round(megabytes) : megabytes.toFixed(1)} MB`;
}

export function isAcceptedImage(file: Pick<File, 'name' | 'type'>): boolean {
  const type = file.type.toLowerCase();
  if (type) return (ACCEPTED_IMAGE_TYPES as readonly string[]).includes(type);
  // Some systems report no type; fall back on the extension.
  const name = file.name.toLowerCase();
  return ACCEPTED_EXTENSIONS.some((extension) => name.endsWith(extension));
}

export interface Rejection {
  fileName: string;
  reason: string;
}
