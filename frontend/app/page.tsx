import { connection } from 'next/server';
import { PublicGallery } from '@/components/gallery/public-gallery';

export default async function HomePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // Rendered per request: new uploads show at once, and the outputs file is read at run time.
  await connection();
  const { after } = await searchParams;
  return <PublicGallery after={typeof after === 'string' && after ? after : undefined} />;
}
