import Link from 'next/link';
import type { PublicImage } from '@/lib/gallery';
import { AdminRemoveButton } from './admin-tools';
import { formatDate } from './format';
import styles from './gallery.module.css';

export function GalleryGrid({ images }: { images: readonly PublicImage[] }) {
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
            <AdminRemoveButton path={image.path} title={image.fileName} className={styles.cardTools} />
          </li>
        );
      })}
    </ul>
  );
}
