// From an image record to what an <img> needs: CDN URLs, a srcset, the size to start from, and
// words for people who cannot see it. Pure, so server pages and client components share it.
import type { ImageRecord, Rendition } from './operations';

const PUBLISHED_PREFIX = 'public/';
const SAFE_SEGMENT = /^[\w.:-]+$/;
const PLACEHOLDER = /^#[0-9a-f]{6}$/i;

/**
 * The CDN URL of a published rendition (`public/<id>/<image>/<version>/<size>.webp` is served at
 * `<PublicBaseUrl>/<id>/...`); undefined for a key outside `public/` or with a segment a URL
 * would reinterpret, so a record can never point a page at another path of the CDN.
 */
export function publishedUrl(publicBaseUrl: string, key: string): string | undefined {
  if (!key.startsWith(PUBLISHED_PREFIX)) return undefined;
  const segments = key.slice(PUBLISHED_PREFIX.length).split('/');
  if (segments.some((segment) => !SAFE_SEGMENT.test(segment) || /^\.+$/.test(segment))) return undefined;
  return `${publicBaseUrl}/${segments.join('/')}`;
}

export interface Picture {
  src: string;
  srcSet: string;
  width: number;
  height: number;
}

/**
 * `srcset` over every rendition `urlOf` can serve, and as `src` (with its size, so the page does
 * not shift while it loads) the smallest at least `minWidth` wide, else the largest.
 */
export function picture(
  renditions: readonly Rendition[],
  urlOf: (key: string) => string | undefined,
  minWidth: number,
): Picture | undefined {
  const served = renditions
    .flatMap((rendition) => {
      const url = urlOf(rendition.key);
      return url && rendition.width > 0 && rendition.height > 0 ? [{ ...rendition, url }] : [];
    })
    .sort((a, b) => a.width - b.width);
  const largest = served.at(-1);
  if (!largest) return undefined;
  const start = served.find((rendition) => rendition.width >= minWidth) ?? largest;
  return {
    src: start.url,
    srcSet: served.map((rendition) => `${rendition.url} ${rendition.width}w`).join(', '),
    width: start.width,
    height: start.height,
  };
}

/** The owner's alt text; else a sentence from the title and uploader, never a file name. */
export function altText(image: Pick<ImageRecord, 'altText' | 'title' | 'ownerName'>): string {
  const written = image.altText?.trim();
  if (written) return written;
  const title = image.title?.trim();
  const by = uploader(image) ? ` by ${uploader(image)}` : '';
  return title ? `Photo: ${title}${by}` : `Photo${by}, no description given`;
}

/** The uploader's display name to show, or undefined when they set none (or only spaces). */
export function uploader(image: Pick<ImageRecord, 'ownerName'>): string | undefined {
  return image.ownerName?.trim() || undefined;
}

/** The title to show; records may have none. */
export function displayTitle(image: Pick<ImageRecord, 'title'>): string {
  return image.title?.trim() || 'Untitled';
}

/** A `#rrggbb` colour from the record, or undefined: the value ends up in a style attribute. */
export function placeholderColour(image: Pick<ImageRecord, 'placeholder'>): string | undefined {
  return image.placeholder && PLACEHOLDER.test(image.placeholder) ? image.placeholder : undefined;
}
