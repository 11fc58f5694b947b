import Link from 'next/link';
import type { ImageRecord } from '@/lib/api/operations';
import { displayTitle, publishedUrl } from '@/lib/api/renditions';
import { ImageCard } from './image-card';
import styles from './gallery.module.css';

/** About one row at 1,280 px: these load at once, the rest as they scroll into view. */
const EAGER_CARDS = 4;

export function GalleryGrid({
  images,
  moderator,
  publicBaseUrl,
}: {
  images: readonly ImageRecord[];
  moderator: boolean;
  publicBaseUrl: string;
}) {
  const urlOf = (key: string) => publishedUrl(publicBaseUrl, key);
  return (
    <ul className={styles.grid} aria-label="Public images">
      {images.map((image, index) => (
        <ImageCard
          key={image.imageId}
          image={image}
          href={detailHref(image.imageId)}
          urlOf={urlOf}
          eager={index < EAGER_CARDS}
          tools={moderator ? <ModerateLink imageId={image.imageId} title={displayTitle(image)} /> : undefined}
        />
      ))}
    </ul>
  );
}

export function detailHref(imageId: string): string {
  return `/p/${encodeURIComponent(imageId)}`;
}

/** Shown to admins only; hiding or removing is confirmed on the moderation page. */
export function ModerateLink({ imageId, title }: { imageId: string; title: string }) {
  return (
    <Link
      className="button button-secondary"
      href={`/me/moderate/${encodeURIComponent(imageId)}`}
      prefetch={false}
    >
      Moderate<span className="visually-hidden"> {title}</span> (admin)
    </Link>
  );
}
