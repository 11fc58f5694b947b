import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { GalleryError } from '@/components/gallery/gallery-states';
import { ModerateImage } from '@/components/moderation/moderate-image';
import { decodeSegments, loadDetail } from '@/lib/public-pages';

export const metadata: Metadata = { title: 'Remove an image' };

type Params = { params: Promise<{ key: string[] }> };

// Admins arrive here from the remove links on the guest pages. The layout (app/me/layout.tsx)
// has already checked the outputs and configured Amplify. The image is read as the detail page
// reads it; the guest pages' moderator hint plays no part here (no cookies), the session does.
export default async function ModeratePage({ params }: Params) {
  const segments = decodeSegments((await params).key);
  if (!segments) notFound();
  const detail = await loadDetail(segments, {});
  if (detail.kind === 'error') {
    return <GalleryError title="The image could not be loaded" message={detail.message} />;
  }
  if (detail.kind !== 'ok') notFound();
  const { path, url, href, fileName, title } = detail.image;
  return <ModerateImage image={{ path, url, href, fileName, title }} />;
}
