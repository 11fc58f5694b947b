'use client';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { describeError } from '@/lib/errors';
import { changeVisibility, deleteImage, listOwnImages, type OwnImage } from '@/lib/my-images';
import {
  displayFileName,
  imageTitle,
  VISIBILITIES,
  VISIBILITY_HINTS,
  VISIBILITY_LABELS,
  type Visibility,
} from '@/lib/paths';
import styles from './account.module.css';
import { ImageThumb } from './image-thumb';
import { useListing } from './use-listing';

type Notice = { tone: 'success' | 'error'; text: string };

export function MyImages({ version, onChanged }: { version: number; onChanged: () => void }) {
  const state = useListing(listOwnImages, 'list your images', version);
  const [notice, setNotice] = useState<Notice | undefined>();

  const report = useCallback((next: Notice) => setNotice(next), []);

  return (
    <section className={styles.images} aria-labelledby="my-images-title">
      <h2 id="my-images-title">Your images</h2>
      <div aria-live="polite" className={styles.noticeSlot}>
        {notice ? <p className={`notice notice-${notice.tone}`}>{notice.text}</p> : null}
      </div>
      {state.status === 'loading' ? <p role="status">Loading your images…</p> : null}
      {state.status === 'failed' ? (
        <div className="notice notice-error" role="alert">
          <p>{state.message}</p>
          <button type="button" className="button" onClick={onChanged}>
            Try again
          </button>
        </div>
      ) : null}
      {state.status === 'ready' && state.items.length === 0 ? (
        <p className={styles.empty}>No images yet. Upload some; they will appear here.</p>
      ) : null}
      {state.status === 'ready' && state.items.length > 0 ? (
        <ul className={styles.grid}>
          {state.items.map((image) => (
            <ImageCard key={image.path} image={image} onChanged={onChanged} report={report} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function ImageCard({
  image,
  onChanged,
  report,
}: {
  image: OwnImage;
  onChanged: () => void;
  report: (notice: Notice) => void;
}) {
  const id = useId();
  const name = displayFileName(image.fileName);
  const [busy, setBusy] = useState<'moving' | 'deleting' | undefined>();
  const [confirming, setConfirming] = useState(false);
  const keepRef = useRef<HTMLButtonElement>(null);
  const deleteRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (confirming) keepRef.current?.focus();
  }, [confirming]);

  const move = async (to: Visibility) => {
    if (to === image.visibility) return;
    setBusy('moving');
    const outcome = await changeVisibility(image, to);
    setBusy(undefined);
    if (outcome.kind === 'copy-failed') {
      const message = describeError(outcome.error, `change who can see “${name}”`);
      report({ tone: 'error', text: `${message} Nothing was changed.` });
      return;
    }
    if (outcome.kind === 'delete-failed') {
      const message = describeError(outcome.error, 'remove the old copy');
      report({
        tone: 'error',
        text: `“${name}” is now visible to ${VISIBILITY_LABELS[to].toLowerCase()}, but the copy visible to ${VISIBILITY_LABELS[image.visibility].toLowerCase()} is still there: ${message} Both copies are listed; delete the one you do not want.`,
      });
    } else {
      report({ tone: 'success', text: `“${name}” is now visible to: ${VISIBILITY_LABELS[to]}.` });
    }
    onChanged();
  };

  const remove = async () => {
    setBusy('deleting');
    try {
      await deleteImage(image);
      report({ tone: 'success', text: `“${name}” was deleted.` });
      onChanged();
    } catch (error) {
      setBusy(undefined);
      setConfirming(false);
      report({ tone: 'error', text: describeError(error, `delete “${name}”`) });
      deleteRef.current?.focus();
    }
  };

  return (
    <li className={styles.card} aria-busy={busy ? true : undefined}>
      <ImageThumb path={image.path} alt={imageTitle(image.fileName)} />
      <div className={styles.cardBody}>
        <p className={styles.cardTitle} title={name}>
          {name}
        </p>
        <label htmlFor={`${id}-visibility`} className={styles.label}>
          Who can see it
        </label>
        <select
          id={`${id}-visibility`}
          value={image.visibility}
          disabled={!!busy}
          aria-describedby={`${id}-visibility-hint`}
          onChange={(event) => void move(event.target.value as Visibility)}
        >
          {VISIBILITIES.map((visibility) => (
            <option key={visibility} value={visibility}>
              {VISIBILITY_LABELS[visibility]}
            </option>
          ))}
        </select>
        <p id={`${id}-visibility-hint`} className={styles.muted}>
          {busy === 'moving' ? 'Moving…' : VISIBILITY_HINTS[image.visibility]}
        </p>
        {confirming ? (
          <div role="group" aria-label={`Delete ${name}`} className={styles.confirm}>
            <p>Delete “{name}” for good?</p>
            <button
              type="button"
              className="button button-danger"
              onClick={() => void remove()}
              disabled={!!busy}
            >
              {busy === 'deleting' ? 'Deleting…' : 'Delete'}
            </button>{' '}
            <button
              type="button"
              ref={keepRef}
              className="button button-secondary"
              onClick={() => {
                setConfirming(false);
                requestAnimationFrame(() => deleteRef.current?.focus());
              }}
              disabled={busy === 'deleting'}
            >
              Keep
            </button>
          </div>
        ) : (
          <button
            type="button"
            ref={deleteRef}
            className="button button-secondary"
            onClick={() => setConfirming(true)}
            disabled={!!busy}
          >
            Delete<span className="visually-hidden"> {name}</span>
          </button>
        )}
      </div>
    </li>
  );
}
