'use client';
import { StorageImage } from '@aws-amplify/ui-react-storage';
import { useState } from 'react';
import type { Rendition } from '@/lib/api/operations';
import { thumbnailRendition } from '@/lib/my-images';
import styles from './account.module.css';

/**
 * A card's picture: one rendition the pipeline made (never an original), read from S3 with the
 * user's credentials (StorageImage: a presigned GET), or a note when there is none or it fails.
 */
export function ImageThumb({ renditions, alt }: { renditions: readonly Rendition[]; alt: string }) {
  const [failed, setFailed] = useState(false);
  const rendition = thumbnailRendition(
    renditions,
    typeof window === 'undefined' ? 1 : window.devicePixelRatio,
  );
  return (
    <div className={styles.thumbFrame}>
      {failed || !rendition ? (
        <p className={styles.thumbError}>Preview unavailable</p>
      ) : (
        <StorageImage
          className={styles.thumb}
          path={rendition.key}
          alt={alt}
          loading="lazy"
          onGetUrlError={() => setFailed(true)}
          onError={() => setFailed(true)}
        />
      )}
    </div>
  );
}
