import { loadConfig, type AppConfig } from '@/lib/config';
import { listPublicImages, type GalleryPage } from '@/lib/gallery';
import { SetupMessage } from '@/components/setup/setup-message';
import { AdminProvider } from './admin-tools';
import { GalleryGrid } from './gallery-grid';
import { EmptyGallery, GalleryError, Pagination } from './gallery-states';
import styles from './gallery.module.css';

/** Guests cannot fix AWS problems; the words point whoever runs the site at the cause. */
export function describeGalleryError(error: unknown): string {
  const name = (error as { name?: unknown } | undefined)?.name;
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'NetworkError' || /fetch failed|ECONNREFUSED/i.test(message)) {
    return 'The image store did not answer. If you run the app locally, check that the sandbox is running (pnpm start), then try again.';
  }
  if (name === 'AccessDenied' || name === 'NotAuthorizedException') {
    return 'The image store refused to list public images for guests. The deployed access rules may be out of date: redeploy the stacks, then try again.';
  }
  return `Something went wrong while listing images (${typeof name === 'string' ? name : 'error'}: ${message}). Try again in a moment.`;
}

async function loadPage(
  config: AppConfig,
  after?: string,
): Promise<{ page: GalleryPage } | { error: string }> {
  try {
    return { page: await listPublicImages(config, after) };
  } catch (error) {
    console.error('[frontend] listing public images failed:', error);
    return { error: describeGalleryError(error) };
  }
}

export async function PublicGallery({ after }: { after?: string }) {
  const result = loadConfig();
  if (!result.ok) return <SetupMessage problem={result.problem} />;
  const { config } = result;
  const loaded = await loadPage(config, after);

  return (
    <>
      <div className={styles.intro}>
        <div>
          <h1>Public gallery</h1>
          <p>Images people chose to share with everyone.</p>
        </div>
      </div>
      {'error' in loaded ? (
        <GalleryError message={loaded.error} />
      ) : loaded.page.images.length === 0 ? (
        <EmptyGallery firstPage={!after} />
      ) : (
        <AdminProvider setup={config.amplify} userPoolClientId={config.userPoolClientId}>
          <GalleryGrid images={loaded.page.images} />
          <Pagination nextToken={loaded.page.nextToken} isFirstPage={!after} />
        </AdminProvider>
      )}
    </>
  );
}
