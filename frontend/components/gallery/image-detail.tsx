import Link from 'next/link';
import { notFound } from 'next/navigation';
import { SetupMessage } from '@/components/setup/setup-message';
import { loadConfig } from '@/lib/config';
import { getPublicImage, type PublicImageDetail } from '@/lib/gallery';
import { pathFromDetailSegments } from '@/lib/paths';
import { formatBytes } from '@/lib/upload-rules';
import { AdminProvider, AdminRemoveButton } from './admin-tools';
import { formatDate } from './format';
import { GalleryError } from './gallery-states';
import { describeGalleryError } from './public-gallery';
import styles from './gallery.module.css';

export async function ImageDetail({ segments }: { segments: string[] }) {
  const result = loadConfig();
  if (!result.ok) return <SetupMessage problem={result.problem} />;
  const { config } = result;
  const path = pathFromDetailSegments(segments);
  if (!path) notFound();

  let image: PublicImageDetail | undefined;
  try {
    image = await getPublicImage(config, path);
  } catch (error) {
    console.error('[frontend] reading a public image failed:', error);
    return <GalleryError message={describeGalleryError(error)} />;
  }
  if (!image) notFound();

  const date = formatDate(image.lastModified);
  const uploader = image.displayName ?? 'Anonymous';
  return (
    <AdminProvider setup={config.amplify} userPoolClientId={config.userPoolClientId}>
      <Link href="/" className={styles.back}>
        ← Back to the gallery
      </Link>
      <article className={styles.detail}>
        <img className={styles.detailImage} src={image.url} alt={`${image.title}, shared by ${uploader}`} />
        <div className={styles.detailInfo}>
          <h1>{image.fileName}</h1>
          <dl className={styles.facts}>
            <dt>Shared by</dt>
            <dd>{uploader}</dd>
            {date ? (
              <>
                <dt>Date</dt>
                <dd>
                  <time dateTime={image.lastModified}>{date}</time>
                </dd>
              </>
            ) : null}
            {image.size !== undefined ? (
              <>
                <dt>Size</dt>
                <dd>{formatBytes(image.size)}</dd>
              </>
            ) : null}
          </dl>
          <a className="button button-secondary" href={image.url} target="_blank" rel="noreferrer">
            Open full size<span className="visually-hidden"> (new tab)</span>
          </a>
          <AdminRemoveButton path={image.path} title={image.fileName} afterRemove="gallery" />
        </div>
      </article>
    </AdminProvider>
  );
}
