import type { ImageRecord } from '@/lib/api/operations';

export const OWNER_ID = 'eu-west-1:0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
export const IMAGE_ID = 'AAAAAAAAAAAAAAAAAAAAAA';

/** Where the CDN-served copy of an image's rendition lives (`public/<owner>/<image>/<version>/<size>.webp`). */
export const publicRenditionKey = (ownerId: string, imageId: string, size: number) =>
  `public/${ownerId}/${imageId}/0001/${size}.webp`;

/**
 * A published image as the data API returns it: a 4000 x 3000 photo with its four renditions,
 * listed out of order (nothing promises an order). Override what a test is about.
 */
export function imageRecord(overrides: Partial<ImageRecord> = {}): ImageRecord {
  const imageId = overrides.imageId ?? IMAGE_ID;
  const ownerId = overrides.ownerId ?? OWNER_ID;
  return {
    imageId,
    ownerId,
    ownerName: 'Ada',
    title: 'Harbour at dawn',
    altText: 'Fishing boats moored in a calm harbour',
    description: null,
    width: 4000,
    height: 3000,
    placeholder: '#8899aa',
    publishedAt: '2026-12-01T10:00:00.000Z',
    renditions: [2048, 320, 1280, 640].map((size) => ({
      size,
      width: size,
      height: (size * 3) / 4,
      key: publicRenditionKey(ownerId, imageId, size),
    })),
    ...overrides,
  };
}
