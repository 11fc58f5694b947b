import Link from 'next/link';
import type { PublicImage } from '@/lib/gallery';
import { moderateHref } from '@/lib/paths';
import { formatDate } from './format';
import styles from './gallery.module.css';

export function GalleryGrid({ images, moderator }: { images: readonly PublicImage[]; moderator: boolean }) {
  return (
    <ul className={styles.grid} aria-label="Public images">
      {images.map((image) => {
        const date = formatDate(image.lastModified);
        return (
          <li key={image.path} className={styles.card}>
            <Link href={image.href} className={styles.cardLink}>
              <div className={styles.thumbFrame}>
                {/* CloudFront already serves the bytes; next/image would proxy and re-encode them. */}
                <img
                  className={styles.thumb}
                  src={image.url}
                  alt={image.title}
                  loading="lazy"
                  decoding="async"
                />
              </div>
              <div className={styles.caption}>
                <span className={styles.title}>{image.fileName}</span>
                {date ? (
                  <span className={styles.meta}>
                    Shared <time dateTime={image.lastModified}>{date}</time>
                  </span>
                ) : null}
              </div>
            </Link>
            {moderator ? (
              <div className={styles.cardTools}>
                <ModerateLink path={image.path} title={image.fileName} />
              </div>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

/** Shown to admins only; the removal itself is confirmed on the moderation page. */
export function ModerateLink({ path, title }: { path: string; title: string }) {
  return (
    <Link className="button button-secondary" href={moderateHref(path)} prefetch={false}>
      Remove<span className="visually-hidden"> {title}</span> (admin)
    </Link>
  );
}
