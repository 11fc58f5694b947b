'use client';
// What other people share with signed-in users, from the data API's shared feed (sharedImages):
// one page at a time, renditions only. No actions: only the owner changes or deletes an image.
import type { ImageRecord } from '@/lib/api/operations';
import { altText, displayTitle, uploader } from '@/lib/api/renditions';
import { listSharedImages } from '@/lib/my-images';
import styles from './account.module.css';
import { ImageThumb } from './image-thumb';
import { PageButtons } from './page-buttons';
import { usePages } from './use-pages';

export function SharedImages() {
  const pages = usePages(listSharedImages, 'list the shared images', 0);
  const { state } = pages;

  return (
    <section className={styles.images} aria-labelledby="shared-images-title">
      <h2 id="shared-images-title">Shared with signed-in users</h2>
      {state.status === 'loading' ? <p role="status">Loading shared images…</p> : null}
      {state.status === 'failed' ? (
        <div className="notice notice-error" role="alert">
          <p>{state.message}</p>
          <button type="button" className="button" onClick={pages.reload}>
            Try again
          </button>
        </div>
      ) : null}
      {state.status === 'ready' && state.items.length === 0 ? (
        <p className={styles.empty}>Nobody has shared images with signed-in users yet.</p>
      ) : null}
      {state.status === 'ready' && state.items.length > 0 ? (
        <ul className={styles.grid}>
          {state.items.map((image) => (
            <SharedCard key={image.imageId} image={image} />
          ))}
        </ul>
      ) : null}
      <PageButtons
        label="Pages of shared images"
        number={pages.number}
        previous={pages.previous}
        next={pages.next}
      />
    </section>
  );
}

function SharedCard({ image }: { image: ImageRecord }) {
  const title = displayTitle(image);
  const by = uploader(image);
  return (
    <li className={styles.card}>
      <ImageThumb renditions={image.renditions} alt={altText(image)} />
      <div className={styles.cardBody}>
        <p className={styles.cardTitle} title={title}>
          {title}
        </p>
        {by ? <p className={styles.muted}>by {by}</p> : null}
      </div>
    </li>
  );
}
