import Link from 'next/link';
import type { PublicImageDetail } from '@/lib/gallery';
import { formatBytes } from '@/lib/upload-rules';
import { formatDate } from './format';
import { ModerateLink } from './gallery-grid';
import styles from './gallery.module.css';

/** One public image; pages/p/[...key].tsx loads it on the server (lib/public-pages.ts). */
export function ImageDetail({ image, moderator }: { image: PublicImageDetail; moderator: boolean }) {
  const date = formatDate(image.lastModified);
  const uploader = image.displayName ?? 'Anonymous';
  return (
    <>
      <Link href="/" className={styles.back}>
        ← Back to the gallery
      </Link>
      <article className={styles.detail}>
        <img className={styles.detailImage} src={image.url} alt={`${image.title}, shared by ${uploader}`} />
        <div className={styles.detailInfo}>
          <h1>{image.fileName}</h1>
          <dl className={styles.facts}>
            <dt>Shared by</dt>
            <dd>{uploader}</dd>
            {date ? (
              <>
                <dt>Date</dt>
                <dd>
                  <time dateTime={image.lastModified}>{date}</time>
                </dd>
              </>
            ) : null}
            {image.size !== undefined ? (
              <>
                <dt>Size</dt>
                <dd>{formatBytes(image.size)}</dd>
              </>
            ) : null}
          </dl>
          <a className="button button-secondary" href={image.url} target="_blank" rel="noreferrer">
            Open full size<span className="visually-hidden"> (new tab)</span>
          </a>
          {moderator ? <ModerateLink path={image.path} title={image.fileName} /> : null}
        </div>
      </article>
    </>
  );
}
