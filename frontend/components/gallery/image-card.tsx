import Link from 'next/link';
import type { ReactNode } from 'react';
import type { ImageRecord } from '@/lib/api/operations';
import { altText, displayTitle, picture, placeholderColour, uploader } from '@/lib/api/renditions';
import styles from './gallery.module.css';

/**
 * How wide a card is, for the browser to pick from srcset before layout; it must match
 * gallery.module.css and globals.css. Two columns on phones (about 50vw); above that,
 * `auto-fill, minmax(220px, 1fr)` in a main column of at most 1,200 px less 2 x 16 px padding
 * makes cards at most 338 px wide up to a 724-px viewport (2 columns), 298 px up to 960 (3),
 * 279 px beyond (4, then 5 of about 221 px from 1,196). A wider guess (33vw, 422 px at 1,280)
 * made 2x screens fetch the 1,280-px rendition for every card: the page-weight report measured
 * 1.1 MB of images for 24 cards.
 */
export const GRID_SIZES =
  '(max-width: 520px) 50vw, (max-width: 724px) 340px, (max-width: 960px) 300px, 280px';

export interface ImageCardProps {
  image: ImageRecord;
  href: string;
  /** The CDN (or signed) URL of a rendition's key; undefined for one it cannot serve. */
  urlOf: (key: string) => string | undefined;
  /** Lazy below the fold; the first row loads at once (it is the page's largest paint). */
  eager?: boolean;
  /** Under the caption, outside the link: admin or owner controls. */
  tools?: ReactNode;
}

export function ImageCard({ image, href, urlOf, eager = false, tools }: ImageCardProps) {
  // 320-px cards at 1x; the srcset lets a 2x screen take the 640 rendition.
  const pic = picture(image.renditions, urlOf, 320);
  const colour = placeholderColour(image);
  const title = displayTitle(image);
  const by = uploader(image);
  return (
    <li className={styles.card}>
      <Link href={href} className={styles.cardLink} prefetch={false}>
        <div className={styles.thumbFrame} style={colour ? { backgroundColor: colour } : undefined}>
          {pic ? (
            // CloudFront serves renditions already sized; next/image would proxy and re-encode them.
            <img
              className={styles.thumb}
              src={pic.src}
              srcSet={pic.srcSet}
              sizes={GRID_SIZES}
              width={pic.width}
              height={pic.height}
              alt={altText(image)}
              loading={eager ? 'eager' : 'lazy'}
              decoding="async"
            />
          ) : (
            <span className={styles.noPicture}>No preview</span>
          )}
        </div>
        <div className={styles.caption}>
          <span className={styles.title}>{title}</span>
          {by ? <span className={styles.meta}>by {by}</span> : null}
        </div>
      </Link>
      {tools ? <div className={styles.cardTools}>{tools}</div> : null}
    </li>
  );
}
