'use client';
// The owner's images from the data API (myImages), newest first, a page at a time. Every change
// is one API call (updateImage, setVisibility, deleteImage); the pipeline does the rest.
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { OwnImageRecord, Visibility } from '@/lib/api/operations';
import { userApi } from '@/lib/api/browser';
import { altText } from '@/lib/api/renditions';
import { describeError } from '@/lib/errors';
import {
  downloadOriginal,
  listMyImages,
  originalFileName,
  VISIBILITY_HINTS,
  VISIBILITY_LABELS,
  VISIBILITY_OPTIONS,
} from '@/lib/my-images';
import styles from './account.module.css';
import { ConfirmButton } from './confirm-button';
import { EditImageForm, type ImageText } from './edit-image-form';
import { ImageState } from './image-state';
import { ImageThumb } from './image-thumb';
import { PageButtons } from './page-buttons';
import { useProcessingPoll } from './use-processing-poll';
import { usePages } from './use-pages';

type Notice = { tone: 'success' | 'error'; text: string };
/** Which image a change is about. */
type Which = Pick<OwnImageRecord, 'imageId' | 'originalKey'>;

/** Waits before asking again for the record of an upload the pipeline has not claimed yet. */
export const UPLOAD_RECHECK_MS = [500, 1000, 2000, 4000, 8000] as const;

/** `uploads`: the originals' keys uploaded in this session, each shown as processing until listed. */
export function MyImages({ uploads }: { uploads: readonly string[] }) {
  const pages = usePages(listMyImages, 'list your images', uploads.length);
  const { state, reload, update } = pages;
  const [notice, setNotice] = useState<Notice | undefined>();

  // An upload's record appears once the pipeline claims it, a moment after the upload ends.
  // Deleted originals are not waited for: their record is gone for good.
  const [gone, setGone] = useState<ReadonlySet<string>>(new Set());
  const listed = state.status === 'ready' ? state.items : [];
  const waiting =
    state.status === 'ready' && pages.number === 1
      ? uploads.filter((key) => !gone.has(key) && !listed.some((image) => image.originalKey === key))
      : [];
  const rechecks = useRef(0);
  const anyWaiting = waiting.length > 0;
  useEffect(() => {
    if (!anyWaiting) {
      rechecks.current = 0;
      return;
    }
    const delay = UPLOAD_RECHECK_MS[Math.min(rechecks.current, UPLOAD_RECHECK_MS.length - 1)];
    const timer = setTimeout(() => {
      rechecks.current += 1;
      reload();
    }, delay);
    return () => clearTimeout(timer);
  }, [anyWaiting, state, reload]);

  const replace = useCallback(
    (image: Which, record: OwnImageRecord | null) => {
      const { imageId, originalKey } = image;
      if (!record && originalKey) setGone((keys) => new Set(keys).add(originalKey));
      update((items) =>
        record
          ? items.map((item) => (item.imageId === imageId ? record : item))
          : items.filter((item) => item.imageId !== imageId),
      );
    },
    [update],
  );

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
          <button type="button" className="button" onClick={reload}>
            Try again
          </button>
        </div>
      ) : null}
      {state.status === 'ready' && state.items.length === 0 && waiting.length === 0 ? (
        <p className={styles.empty}>No images yet. Upload some; they will appear here.</p>
      ) : null}
      {state.status === 'ready' && state.items.length + waiting.length > 0 ? (
        <ul className={styles.grid}>
          {[...waiting].reverse().map((key) => (
            <WaitingCard key={key} originalKey={key} />
          ))}
          {state.items.map((image) => (
            <MyImageCard key={image.imageId} image={image} replace={replace} report={setNotice} />
          ))}
        </ul>
      ) : null}
      <PageButtons
        label="Pages of your images"
        number={pages.number}
        previous={pages.previous}
        next={pages.next}
      />
    </section>
  );
}

function WaitingCard({ originalKey }: { originalKey: string }) {
  const name = originalFileName(originalKey) ?? originalKey;
  return (
    <li className={styles.card}>
      <ImageState image={{ status: 'PROCESSING', rejectionReason: null }} />
      <div className={styles.cardBody}>
        <p className={styles.cardTitle} title={name}>
          {name}
        </p>
      </div>
    </li>
  );
}

function MyImageCard({
  image,
  replace,
  report,
}: {
  image: OwnImageRecord;
  replace: (image: Which, record: OwnImageRecord | null) => void;
  report: (notice: Notice) => void;
}) {
  const id = useId();
  const { imageId, originalKey } = image;
  const fileName = originalFileName(originalKey);
  const name = image.title?.trim() || fileName || 'Untitled';
  const [busy, setBusy] = useState<'moving' | 'downloading'>();
  const [editing, setEditing] = useState(false);
  const ready = image.status === 'READY';

  const settled = useCallback(
    (record: OwnImageRecord | null) => replace({ imageId, originalKey }, record),
    [replace, imageId, originalKey],
  );
  useProcessingPoll(image, settled);

  const move = async (to: Visibility) => {
    if (to === image.visibility) return;
    setBusy('moving');
    try {
      replace(image, await userApi().setVisibility({ imageId, visibility: to }));
      report({ tone: 'success', text: `“${name}” is now visible to: ${VISIBILITY_LABELS[to]}.` });
    } catch (error) {
      report({
        tone: 'error',
        text: `${describeError(error, `change who can see “${name}”`)} Nothing was changed.`,
      });
    } finally {
      setBusy(undefined);
    }
  };

  const remove = async () => {
    try {
      await userApi().deleteImage({ imageId });
      replace(image, null);
      report({ tone: 'success', text: `“${name}” was deleted.` });
    } catch (error) {
      report({ tone: 'error', text: describeError(error, `delete “${name}”`) });
    }
  };

  const save = async (text: ImageText) => {
    replace(image, await userApi().updateImage({ imageId, ...text }));
    setEditing(false);
    report({ tone: 'success', text: 'Saved.' });
  };

  const download = async (originalKey: string) => {
    setBusy('downloading');
    try {
      await downloadOriginal(originalKey, fileName ?? 'original');
    } catch (error) {
      report({ tone: 'error', text: describeError(error, `download the original of “${name}”`) });
    } finally {
      setBusy(undefined);
    }
  };

  const deleteButton = (
    <ConfirmButton
      label="Delete"
      subject={name}
      question={`Delete “${name}”?`}
      consequences="The original, its smaller versions and any published copy are removed. This cannot be undone."
      confirmLabel="Delete"
      onConfirm={remove}
    />
  );
  const visibility = image.visibility ?? 'SHARED';

  return (
    <li className={styles.card} aria-busy={busy ? true : undefined}>
      {ready || image.status === 'HIDDEN' ? (
        <ImageThumb renditions={image.renditions} alt={altText(image)} />
      ) : null}
      <ImageState image={image} remove={deleteButton} />
      <div className={styles.cardBody}>
        <p className={styles.cardTitle} title={name}>
          {name}
        </p>
        {ready ? (
          <>
            <label htmlFor={`${id}-visibility`} className={styles.label}>
              Who can see it
            </label>
            <select
              id={`${id}-visibility`}
              value={visibility}
              disabled={!!busy}
              aria-describedby={`${id}-visibility-hint`}
              onChange={(event) => void move(event.target.value as Visibility)}
            >
              {VISIBILITY_OPTIONS.map((option) => (
                <option key={option} value={option}>
                  {VISIBILITY_LABELS[option]}
                </option>
              ))}
            </select>
            <p id={`${id}-visibility-hint`} className={styles.muted}>
              {busy === 'moving' ? 'Changing…' : VISIBILITY_HINTS[visibility]}
            </p>
            {editing ? (
              <EditImageForm image={image} onSave={save} onCancel={() => setEditing(false)} />
            ) : (
              <button type="button" className="button button-secondary" onClick={() => setEditing(true)}>
                Edit text<span className="visually-hidden"> of {name}</span>
              </button>
            )}
          </>
        ) : null}
        {originalKey && image.status !== 'REJECTED' ? (
          <button
            type="button"
            className="button button-secondary"
            disabled={!!busy}
            onClick={() => void download(originalKey)}
          >
            {busy === 'downloading' ? 'Downloading…' : 'Download original'}
            <span className="visually-hidden"> of {name}</span>
          </button>
        ) : null}
        {image.status === 'REJECTED' || image.status === 'HIDDEN' ? null : deleteButton}
      </div>
    </li>
  );
}
