import type { GalleryProps } from '@/lib/public-pages';
import { SetupMessage } from '@/components/setup/setup-message';
import { GalleryGrid } from './gallery-grid';
import { EmptyGallery, GalleryError, Pagination } from './gallery-states';
import styles from './gallery.module.css';

/** The guest gallery; pages/index.tsx loads its props on the server (lib/public-pages.ts). */
export function PublicGallery({ gallery }: { gallery: GalleryProps }) {
  if (gallery.kind === 'setup') return <SetupMessage />;
  return (
    <>
      <div className={styles.intro}>
        <div>
          <h1>Public gallery</h1>
          <p>Images people chose to share with everyone.</p>
        </div>
      </div>
      {gallery.kind === 'error' ? (
        <GalleryError message={gallery.message} />
      ) : gallery.images.length === 0 ? (
        <EmptyGallery firstPage={!gallery.after} />
      ) : (
        <>
          <GalleryGrid
            images={gallery.images}
            moderator={gallery.moderator}
            publicBaseUrl={gallery.publicBaseUrl}
          />
          <Pagination
            basePath="/"
            nextToken={gallery.nextToken ?? undefined}
            isFirstPage={!gallery.after}
            label="Gallery pages"
          />
        </>
      )}
    </>
  );
}
