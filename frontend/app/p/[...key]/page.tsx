import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { ImageDetail } from '@/components/gallery/image-detail';

type Params = { params: Promise<{ key: string[] }> };

export const metadata: Metadata = { title: 'Image' };

export default async function ImagePage({ params }: Params) {
  await connection();
  const { key } = await params;
  // Catch-all segments arrive still percent-encoded (detailHref encodes each one).
  let segments: string[];
  try {
    segments = key.map(decodeURIComponent);
  } catch {
    notFound();
  }
  return <ImageDetail segments={segments} />;
}
