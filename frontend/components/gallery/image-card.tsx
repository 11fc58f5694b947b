import Link from 'next/link';
import type { ReactNode } from 'react';
import type { ImageRecord } from '@/lib/api/operations';
import { altText, displayTitle, picture, placeholderColour, uploader } from '@/lib/api/renditions';
import styles from './gallery.module.css';

/**
 * A grid of 220-px-minimum columns: one column on narrow phones, up to about 4 across 1,280 px.
 * The browser picks from srcset with this before layout, so it must match gallery.module.css.
 */
export const GRID_SIZES = '(max-width: 520px) 50vw, (max-width: 1280px) 33vw, 320px';

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
