// What the guests' pages (pages/index.tsx, pages/p/[...key].tsx) render, loaded on the server
// from the data API with guest credentials; the admins' moderation page (app/me/moderate) reads
// its image through loadDetail too. The results are page props, so they hold only JSON values.
import type { ServerResponse } from 'node:http';
import { ApiError, type ImageRecord } from './api/operations';
import { publishedUrl } from './api/renditions';
import { guestApi } from './api/server';
import { loadConfig, type ConfigProblem } from './config';
import { describeError } from './errors';
import { isModerator } from './moderator-hint';

export type GalleryProps =
  | { kind: 'setup'; problem: ConfigProblem }
  | { kind: 'error'; status: 400 | 503; message: string }
  | {
      kind: 'ok';
      images: ImageRecord[];
      nextToken: string | null;
      after: string | null;
      moderator: boolean;
      publicBaseUrl: string;
    };

export type DetailProps =
  | { kind: 'setup'; problem: ConfigProblem }
  | { kind: 'error'; message: string }
  | { kind: 'not-found' }
  | { kind: 'ok'; image: ImageRecord; moderator: boolean; publicBaseUrl: string };

type Cookies = Partial<Record<string, string>>;

/** The api function's image ids: 22 base64url characters (a SHA-256 prefix of the original's key). */
const IMAGE_ID = /^[A-Za-z0-9_-]{22}$/;

/**
 * A CDN may keep a guest page a minute and serve it stale for five more while it refetches:
 * a new image reaches the gallery within a minute, and a burst of guests costs one API call.
 */
export const GUEST_CACHE_CONTROL = 'public, s-maxage=60, stale-while-revalidate=300';
/** Admins' pages carry moderation links, and errors must not outlive their cause. */
export const UNCACHED = 'private, no-store';

/** Sets the page's Cache-Control: shared caching only for what every guest gets alike. */
export function setCaching(res: Pick<ServerResponse, 'setHeader'>, props: GalleryProps | DetailProps): void {
  const shared = props.kind === 'ok' && !props.moderator;
  res.setHeader('Cache-Control', shared ? GUEST_CACHE_CONTROL : UNCACHED);
}

export async function loadGallery(after: string | undefined, cookies: Cookies): Promise<GalleryProps> {
  const result = loadConfig();
  if (!result.ok) return { kind: 'setup', problem: result.problem };
  try {
    const page = await guestApi(result.config).publicImages(after ? { nextToken: after } : {});
    return {
      kind: 'ok',
      images: page.items,
      nextToken: page.nextToken,
      after: after ?? null,
      moderator: isModerator(cookies),
      publicBaseUrl: result.config.publicBaseUrl,
    };
  } catch (error) {
    if (after && error instanceof ApiError && error.type === 'BadRequest') {
      // The API refuses a cursor it did not sign for this query (an edited or truncated link).
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

/**
 * `segments` are the detail route's catch-all segments: one image id. Anything the API does not
 * return as public and ready, or without a rendition the CDN serves, is not found.
 */
export async function loadDetail(segments: readonly string[], cookies: Cookies): Promise<DetailProps> {
  const result = loadConfig();
  if (!result.ok) return { kind: 'setup', problem: result.problem };
  const [imageId] = segments;
  if (segments.length !== 1 || !imageId || !IMAGE_ID.test(imageId)) return { kind: 'not-found' };
  const { publicBaseUrl } = result.config;
  try {
    const image = await guestApi(result.config).publicImage({ imageId });
    const served = image?.renditions.some((rendition) => publishedUrl(publicBaseUrl, rendition.key));
    return image && served
      ? { kind: 'ok', image, moderator: isModerator(cookies), publicBaseUrl }
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
