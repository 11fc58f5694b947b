// What the guests' pages (pages/index.tsx, pages/p/[...key].tsx) render, loaded on the server;
// the admins' moderation page (app/me/moderate) reads its image through loadDetail too.
// The results are page props, so they hold only JSON values (no `undefined`, no Dates).
import { loadConfig, type ConfigProblem } from './config';
import { describeError } from './errors';
import { getPublicImage, listPublicImages, type PublicImage, type PublicImageDetail } from './gallery';
import { isModerator } from './moderator-hint';
import { pathFromDetailSegments } from './paths';

export type GalleryProps =
  | { kind: 'setup'; problem: ConfigProblem }
  | { kind: 'error'; status: 400 | 503; message: string }
  | { kind: 'ok'; images: PublicImage[]; nextToken: string | null; after: string | null; moderator: boolean };

export type DetailProps =
  | { kind: 'setup'; problem: ConfigProblem }
  | { kind: 'error'; message: string }
  | { kind: 'not-found' }
  | { kind: 'ok'; image: PublicImageDetail; moderator: boolean };

type Cookies = Partial<Record<string, string>>;

/** Drops `undefined` fields, which page props cannot carry. */
function jsonSafe<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export async function loadGallery(after: string | undefined, cookies: Cookies): Promise<GalleryProps> {
  const result = loadConfig();
  if (!result.ok) return { kind: 'setup', problem: result.problem };
  try {
    const page = await listPublicImages(result.config, after);
    return {
      kind: 'ok',
      images: jsonSafe(page.images),
      nextToken: page.nextToken ?? null,
      after: after ?? null,
      moderator: isModerator(cookies),
    };
  } catch (error) {
    if (after && (error as { name?: unknown }).name === 'InvalidArgument') {
      // S3 refuses a page token it did not issue (an edited or truncated link).
      return {
        kind: 'error',
        status: 400,
        message: 'This link to a later page of the gallery is not valid. Start again from the first page.',
      };
    }
    console.error('[frontend] listing public images failed:', error);
    return { kind: 'error', status: 503, message: describeError(error, 'list public images', 'guest') };
  }
}

/** `segments` are the detail route's catch-all segments, decoded (the Pages Router decodes them). */
export async function loadDetail(segments: readonly string[], cookies: Cookies): Promise<DetailProps> {
  const result = loadConfig();
  if (!result.ok) return { kind: 'setup', problem: result.problem };
  const path = pathFromDetailSegments(segments);
  if (!path) return { kind: 'not-found' };
  try {
    const image = await getPublicImage(result.config, path);
    return image
      ? { kind: 'ok', image: jsonSafe(image), moderator: isModerator(cookies) }
      : { kind: 'not-found' };
  } catch (error) {
    console.error('[frontend] reading a public image failed:', error);
    return { kind: 'error', message: describeError(error, 'read this image', 'guest') };
  }
}

/** App Router catch-all segments arrive percent-encoded; undefined when they are malformed. */
export function decodeSegments(segments: readonly string[]): string[] | undefined {
  try {
    return segments.map(decodeURIComponent);
  } catch {
    return undefined;
  }
}
