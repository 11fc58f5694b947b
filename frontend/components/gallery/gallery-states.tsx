import Link from 'next/link';
import styles from './gallery.module.css';

export function EmptyGallery({ firstPage }: { firstPage: boolean }) {
  return (
    <section className={styles.state} aria-labelledby="empty-title">
      <h2 id="empty-title">{firstPage ? 'No public images yet' : 'No more images'}</h2>
      {firstPage ? (
        <p>
          When someone shares an image with everyone, it shows up here. Be the first: upload one and set it to
          “Everyone”.
        </p>
      ) : (
        <p>This page is empty; images may have been removed since you opened the gallery.</p>
      )}
      <Link className="button" href={firstPage ? '/me' : '/'}>
        {firstPage ? 'Upload an image' : 'Back to the first page'}
      </Link>
    </section>
  );
}

export function GalleryError({
  message,
  title = 'The gallery could not be loaded',
}: {
  message: string;
  title?: string;
}) {
  return (
    <section className={`${styles.state} ${styles.stateError}`} role="alert" aria-labelledby="error-title">
      <h2 id="error-title">{title}</h2>
      <p>{message}</p>
      <Link className="button" href="/" prefetch={false}>
        Try again
      </Link>
    </section>
  );
}

export interface PaginationProps {
  /** The listing's path; later pages add `?after=<token>`. */
  basePath: string;
  /** The opaque cursor of the next page; absent on the last one. */
  nextToken?: string;
  isFirstPage: boolean;
  /** Names the navigation landmark, e.g. "Gallery pages". */
  label: string;
}

/** Plain links, so pages without script can page: a cursor only goes forward, so "first" and "next". */
export function Pagination({ basePath, nextToken, isFirstPage, label }: PaginationProps) {
  if (!nextToken && isFirstPage) return null;
  return (
    <nav className={styles.pagination} aria-label={label}>
      {isFirstPage ? <span /> : <Link href={basePath}>← First page</Link>}
      {nextToken ? (
        <Link
          className="button button-secondary"
          href={`${basePath}?after=${encodeURIComponent(nextToken)}`}
          prefetch={false}
        >
          More images →
        </Link>
      ) : (
        <span>That’s everything.</span>
      )}
    </nav>
  );
}
