import type { ReactNode } from 'react';
import type { OwnImageRecord } from '@/lib/api/operations';
import styles from './account.module.css';

/**
 * What the owner is told about an image that is not (or no longer) a picture they can see:
 * in processing, refused by the pipeline with its reason, or hidden by a moderator. Renders
 * nothing for a ready image. `remove` is the control that deletes it (a confirmation).
 */
export function ImageState({
  image,
  remove,
}: {
  image: Pick<OwnImageRecord, 'status' | 'rejectionReason'>;
  remove?: ReactNode;
}) {
  switch (image.status) {
    case 'PROCESSING':
      return (
        <p className={styles.state} role="status">
          Processing…
        </p>
      );
    case 'REJECTED':
      return (
        <div className={`${styles.state} ${styles.stateRejected}`} role="status">
          <p>Not accepted: {image.rejectionReason?.trim() || 'the file could not be read as an image.'}</p>
          {remove}
        </div>
      );
    case 'HIDDEN':
      return (
        <div className={styles.state} role="status">
          <p>Hidden by a moderator: only you can see it.</p>
          {remove}
        </div>
      );
    default:
      return null;
  }
}
