import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { GalleryError } from '@/components/gallery/gallery-states';
import { ModerateImage } from '@/components/moderation/moderate-image';
import { loadConfig } from '@/lib/config';
import { getPublicImage, type PublicImageDetail } from '@/lib/gallery';
import { pathFromDetailSegments } from '@/lib/paths';
import { decodeSegments, describeGalleryError } from '@/lib/public-pages';

export const metadata: Metadata = { title: 'Remove an image' };

type Params = { params: Promise<{ key: string[] }> };

// Admins arrive here from the remove links on the guest pages. The layout (app/me/layout.tsx)
// has already checked the outputs and configured Amplify.
export default async function ModeratePage({ params }: Params) {
  const result = loadConfig();
  if (!result.ok) notFound();
  const segments = decodeSegments((await params).key);
  const path = segments && pathFromDetailSegments(segments);
  if (!path) notFound();
  let image: PublicImageDetail | undefined;
  try {
    image = await getPublicImage(result.config, path);
  } catch (error) {
    console.error('[frontend] reading a public image failed:', error);
    return (
      <GalleryError
        title="The image could not be loaded"
        message={describeGalleryError(error, 'read this image')}
      />
    );
  }
  if (!image) notFound();
  return (
    <ModerateImage
      image={{
        path: image.path,
        url: image.url,
        href: image.href,
        fileName: image.fileName,
        title: image.title,
      }}
    />
  );
}
