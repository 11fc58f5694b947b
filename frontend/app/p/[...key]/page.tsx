import type { Metadata } from 'next';
import { connection } from 'next/server';
import { ImageDetail } from '@/components/gallery/image-detail';

type Params = { params: Promise<{ key: string[] }> };

export const metadata: Metadata = { title: 'Image' };

export default async function ImagePage({ params }: Params) {
  await connection();
  const { key } = await params;
  return <ImageDetail segments={key.map(decodeURIComponent)} />;
}
