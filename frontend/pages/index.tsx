// The public gallery. It is a Pages Router page, not an App Router one, for one reason: guests
// download no JavaScript at all. Every App Router page loads Next's and React's client runtime
// (131 kB gzipped in this build) to hydrate, while this page is plain server-rendered HTML
// (`unstable_runtimeJS: false`): links, images and forms work without scripts. Admins get their
// remove links from the server (lib/moderator-hint.ts) and confirm on an App Router page.
import type { GetServerSideProps } from 'next';
import Head from 'next/head';
import { PublicGallery } from '@/components/gallery/public-gallery';
import { loadGallery, setCaching, type GalleryProps } from '@/lib/public-pages';
import { pageTitle } from '@/lib/site';

export const config = { unstable_runtimeJS: false };

type Props = { gallery: GalleryProps };

export const getServerSideProps: GetServerSideProps<Props> = async ({ query, req, res }) => {
  const after = typeof query.after === 'string' && query.after ? query.after : undefined;
  const gallery = await loadGallery(after, req.cookies);
  // An error page must not pass for the gallery (caches, monitors): it says what went wrong.
  if (gallery.kind === 'setup') res.statusCode = 503;
  if (gallery.kind === 'error') res.statusCode = gallery.status;
  setCaching(res, gallery);
  return { props: { gallery } };
};

export default function GalleryPage({ gallery }: Props) {
  return (
    <>
      <Head>
        <title>{pageTitle()}</title>
      </Head>
      <PublicGallery gallery={gallery} />
    </>
  );
}
