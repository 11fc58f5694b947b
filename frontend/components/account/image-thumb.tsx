'use client';
import { StorageImage } from '@aws-amplify/ui-react-storage';
import { useState } from 'react';
import styles from './account.module.css';

/** A card's preview: StorageImage (HeadObject, then a presigned GET), or a note when it cannot load. */
export function ImageThumb({ path, alt }: { path: string; alt: string }) {
  const [failed, setFailed] = useState(false);
  return (
    <div className={styles.thumbFrame}>
      {failed ? (
        <p className={styles.thumbError}>Preview unavailable</p>
      ) : (
        <StorageImage
          className={styles.thumb}
          path={path}
          alt={alt}
          loading="lazy"
          onGetUrlError={() => setFailed(true)}
          onError={() => setFailed(true)}
        />
      )}
    </div>
  );
}
