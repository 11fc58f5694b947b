import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { detailHref } from '@/components/gallery/gallery-grid';
import { GalleryError } from '@/components/gallery/gallery-states';
import { ModerateImage } from '@/components/moderation/moderate-image';
import { altText, displayTitle, picture, publishedUrl } from '@/lib/api/renditions';
import { decodeSegments, loadDetail } from '@/lib/public-pages';

export const metadata: Metadata = { title: 'Moderate an image' };

type Params = { params: Promise<{ key: string[] }> };

// Admins arrive here from the moderation links on the guest pages (/me/moderate/<imageId>). The
// layout (app/me/layout.tsx) has already checked the outputs and configured Amplify. The image
// is read as the detail page reads it; the guest pages' moderator hint plays no part here (no
// cookies), the session does.
export default async function ModeratePage({ params }: Params) {
  const segments = decodeSegments((await params).key);
  if (!segments) notFound();
  const detail = await loadDetail(segments, {});
  if (detail.kind === 'error') {
    return <GalleryError title="The image could not be loaded" message={detail.message} />;
  }
  if (detail.kind !== 'ok') notFound();
  const { image, publicBaseUrl } = detail;
  const preview = picture(image.renditions, (key) => publishedUrl(publicBaseUrl, key), 640);
  if (!preview) notFound();
  return (
    <ModerateImage
      image={{
        imageId: image.imageId,
        src: preview.src,
        alt: altText(image),
        href: detailHref(image.imageId),
        title: displayTitle(image),
      }}
    />
  );
}
