// One public image, for guests: server-rendered HTML without scripts, like the gallery
// (see pages/index.tsx). The path is /p/<imageId>; the catch-all answers 404 for any other shape.
import type { GetServerSideProps } from 'next';
import Head from 'next/head';
import { ImageDetail } from '@/components/gallery/image-detail';
import { GalleryError } from '@/components/gallery/gallery-states';
import { NotFoundMessage } from '@/components/layout/not-found-message';
import { SetupMessage } from '@/components/setup/setup-message';
import { loadDetail, setCaching, type DetailProps } from '@/lib/public-pages';
import { displayTitle } from '@/lib/api/renditions';
import { pageTitle } from '@/lib/site';

export const config = { unstable_runtimeJS: false };

type Props = { detail: DetailProps };

export const getServerSideProps: GetServerSideProps<Props> = async ({ params, req, res }) => {
  const key = params?.key;
  const detail = await loadDetail(Array.isArray(key) ? key : [], req.cookies);
  // Not `notFound: true`: that renders app/not-found.tsx, which loads the App Router's runtime.
  if (detail.kind === 'not-found') res.statusCode = 404;
  if (detail.kind === 'error' || detail.kind === 'setup') res.statusCode = 503;
  setCaching(res, detail);
  return { props: { detail } };
};

export default function ImagePage({ detail }: Props) {
  return (
    <>
      <Head>
        <title>
          {pageTitle(
            detail.kind === 'ok'
              ? displayTitle(detail.image)
              : detail.kind === 'not-found'
                ? 'Not found'
                : 'Image',
          )}
        </title>
      </Head>
      {detail.kind === 'not-found' ? (
        <NotFoundMessage />
      ) : detail.kind === 'setup' ? (
        <SetupMessage />
      ) : detail.kind === 'error' ? (
        <GalleryError title="The image could not be loaded" message={detail.message} />
      ) : (
        <ImageDetail image={detail.image} moderator={detail.moderator} publicBaseUrl={detail.publicBaseUrl} />
      )}
    </>
  );
}
