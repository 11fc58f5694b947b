import Link from 'next/link';
import type { ImageRecord } from '@/lib/api/operations';
import {
  altText,
  displayTitle,
  picture,
  placeholderColour,
  publishedUrl,
  uploader,
} from '@/lib/api/renditions';
import { formatDate } from './format';
import { ModerateLink } from './gallery-grid';
import styles from './gallery.module.css';

/** The image column: full width on phones, two thirds beside the facts (gallery.module.css). */
const DETAIL_SIZES = '(max-width: 760px) 100vw, 66vw';

/** One public image; pages/p/[...key].tsx loads it on the server (lib/public-pages.ts). */
export function ImageDetail({
  image,
  moderator,
  publicBaseUrl,
}: {
  image: ImageRecord;
  moderator: boolean;
  publicBaseUrl: string;
}) {
  const urlOf = (key: string) => publishedUrl(publicBaseUrl, key);
  // 1,280 px at 1x; srcset offers 2,048 to sharper screens. Never the original: only renditions.
  const pic = picture(image.renditions, urlOf, 1280);
  const largest = picture(image.renditions, urlOf, Number.POSITIVE_INFINITY);
  const title = displayTitle(image);
  const date = formatDate(image.publishedAt ?? undefined);
  const colour = placeholderColour(image);
  const by = uploader(image);
  return (
    <>
      <Link href="/" className={styles.back}>
        ← Back to the gallery
      </Link>
      <article className={styles.detail}>
        {pic ? (
          <img
            className={styles.detailImage}
            style={colour ? { backgroundColor: colour } : undefined}
            src={pic.src}
            srcSet={pic.srcSet}
            sizes={DETAIL_SIZES}
            width={pic.width}
            height={pic.height}
            alt={altText(image)}
          />
        ) : null}
        <div className={styles.detailInfo}>
          <h1>{title}</h1>
          {by ? <p className={styles.uploader}>by {by}</p> : null}
          {image.description?.trim() ? <p className={styles.description}>{image.description}</p> : null}
          <dl className={styles.facts}>
            {date ? (
              <>
                <dt>Published</dt>
                <dd>
                  <time dateTime={image.publishedAt ?? undefined}>{date}</time>
                </dd>
              </>
            ) : null}
            {image.width && image.height ? (
              <>
                <dt>Dimensions</dt>
                <dd>
                  {image.width} × {image.height} px
                </dd>
              </>
            ) : null}
          </dl>
          {largest ? (
            <a className="button button-secondary" href={largest.src} target="_blank" rel="noreferrer">
              Open large size<span className="visually-hidden"> (new tab)</span>
            </a>
          ) : null}
          {moderator ? <ModerateLink imageId={image.imageId} title={title} /> : null}
        </div>
      </article>
    </>
  );
}
