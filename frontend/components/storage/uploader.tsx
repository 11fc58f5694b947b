'use client';
// Thin wrapper around Amplify UI's FileUploader: where uploads go, what they may be, and
// rejection messages a person can act on.
import { FileUploader } from '@aws-amplify/ui-react-storage';
import { useCallback, useState, type ChangeEvent, type DragEvent } from 'react';
import { describeError } from '@/lib/errors';
import { displayFileName, folderFor, storedFileName } from '@/lib/paths';
import {
  ACCEPTED_IMAGE_TYPES,
  ACCEPTED_TYPES_TEXT,
  MAX_FILE_COUNT,
  MAX_FILE_SIZE,
  formatBytes,
  isAcceptedImage,
  type Rejection,
} from '@/lib/upload-rules';
import styles from './uploader.module.css';

interface UploaderProps {
  onUploaded?: (path: string) => void;
}

type ProcessFile = NonNullable<Parameters<typeof FileUploader>[0]['processFile']>;

const uploadPath = ({ identityId }: { identityId?: string }) => {
  if (!identityId) throw new Error('No identity id: sign in again to upload.');
  // New uploads are visible to signed-in users; the owner can change that per image.
  return folderFor('protected', identityId);
};

export function Uploader({ onUploaded }: UploaderProps) {
  const [rejections, setRejections] = useState<Rejection[]>([]);
  const [failures, setFailures] = useState<string[]>([]);
  // FileUploader restarts queued uploads when processFile changes identity; keep it stable.
  const processFile = useCallback<ProcessFile>(
    ({ file, key, ...rest }) => ({ ...rest, file, key: storedFileName(key, Date.now()) }),
    [],
  );

  // The file picker's `accept` is only a hint (the dialog can show all files), and FileUploader
  // would upload whatever is picked; a selection with anything but images is stopped here.
  const onChangeCapture = (event: ChangeEvent<HTMLInputElement>) => {
    if (event.target.type !== 'file') return;
    const files = Array.from(event.target.files ?? []);
    const notImages = files.filter((file) => !isAcceptedImage(file));
    setFailures([]);
    if (notImages.length === 0) {
      setRejections([]);
      return;
    }
    event.stopPropagation();
    event.target.value = '';
    setRejections(
      notImages.map((file) => ({
        fileName: file.name,
        reason: `is not an image this site accepts (${ACCEPTED_TYPES_TEXT}). Nothing was uploaded; choose images only.`,
      })),
    );
  };

  // FileUploader drops non-images from a drag and drop without a word; say which ones.
  const onDropCapture = (event: DragEvent<HTMLDivElement>) => {
    const files = Array.from(event.dataTransfer?.files ?? []);
    setFailures([]);
    setRejections(
      files
        .filter((file) => !isAcceptedImage(file))
        .map((file) => ({
          fileName: file.name,
          reason: `was skipped: it is not an image this site accepts (${ACCEPTED_TYPES_TEXT}).`,
        })),
    );
  };

  const onUploadError = useCallback((message: string, { key }: { key: string }) => {
    const name = displayFileName(key.split('/').pop() ?? key);
    setFailures((current) => [...current, describeError(new Error(message), `upload “${name}”`)]);
  }, []);

  const onUploadSuccess = useCallback(
    ({ key }: { key?: string }) => {
      if (key) onUploaded?.(key);
    },
    [onUploaded],
  );

  return (
    <section className={styles.uploader} aria-labelledby="upload-title">
      <h2 id="upload-title">Upload images</h2>
      <p className={styles.hint} id="upload-hint">
        {ACCEPTED_TYPES_TEXT}, up to {formatBytes(MAX_FILE_SIZE)} each, {MAX_FILE_COUNT} at a time. New images
        are visible to signed-in users; change that per image below.
      </p>
      <div onChangeCapture={onChangeCapture} onDropCapture={onDropCapture}>
        <FileUploader
          path={uploadPath}
          acceptedFileTypes={[...ACCEPTED_IMAGE_TYPES]}
          maxFileSize={MAX_FILE_SIZE}
          maxFileCount={MAX_FILE_COUNT}
          processFile={processFile}
          onUploadError={onUploadError}
          onUploadSuccess={onUploadSuccess}
          displayText={{
            dropFilesText: 'Drop images here or',
            browseFilesText: 'Choose images',
            getFileSizeErrorText: () =>
              `Too large: images can be at most ${formatBytes(MAX_FILE_SIZE)}. Not uploaded.`,
            getMaxFilesErrorText: (count: number) =>
              `You can upload ${count} images at a time. Remove some from the list to start the upload.`,
          }}
        />
      </div>
      {rejections.length > 0 ? (
        <div role="alert" className={`notice notice-error ${styles.messages}`}>
          <ul>
            {rejections.map((rejection) => (
              <li key={`${rejection.fileName}-${rejection.reason}`}>
                <strong>{rejection.fileName}</strong> {rejection.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {failures.length > 0 ? (
        <div role="alert" className={`notice notice-error ${styles.messages}`}>
          <ul>
            {failures.map((failure) => (
              <li key={failure}>{failure}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
