'use client';
// What other people shared with signed-in users. No actions: only the owner can change or delete
// an image, and the buttons for that live on the owner's own cards.
import { displayFileName, imageTitle } from '@/lib/paths';
import { listSharedImages, type SharedImage } from '@/lib/shared-images';
import styles from './account.module.css';
import { ImageThumb } from './image-thumb';
import { useListing } from './use-listing';

export function SharedImages({ version }: { version: number }) {
  const state = useListing(listSharedImages, 'list the shared images', version);

  return (
    <section className={styles.images} aria-labelledby="shared-images-title">
      <h2 id="shared-images-title">Shared with signed-in users</h2>
      {state.status === 'loading' ? <p role="status">Loading shared images…</p> : null}
      {state.status === 'failed' ? (
        <p className="notice notice-error" role="alert">
          {state.message}
        </p>
      ) : null}
      {state.status === 'ready' && state.items.length === 0 ? (
        <p className={styles.empty}>Nobody else has shared images with signed-in users yet.</p>
      ) : null}
      {state.status === 'ready' && state.items.length > 0 ? (
        <ul className={styles.grid}>
          {state.items.map((image) => (
            <SharedCard key={image.path} image={image} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function SharedCard({ image }: { image: SharedImage }) {
  const name = displayFileName(image.fileName);
  return (
    <li className={styles.card}>
      <ImageThumb path={image.path} alt={imageTitle(image.fileName)} />
      <div className={styles.cardBody}>
        <p className={styles.cardTitle} title={name}>
          {name}
        </p>
      </div>
    </li>
  );
}
