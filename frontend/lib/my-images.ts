// The signed-in area's images as records of the data API: the owner's own (every state) and what
// others share with signed-in users. Pictures are renditions the pipeline re-encoded, read from S3
// with the user's credentials; only the owner's "Download original" touches the original.
import { PAGE_SIZE } from '@image-share/contracts/records';
import { downloadData } from 'aws-amplify/storage';
import { userApi } from './api/browser';
import type { ImageRecord, OwnImageRecord, Page, Rendition, Visibility } from './api/operations';
import { displayFileName } from './paths';

export const VISIBILITY_OPTIONS: readonly Visibility[] = ['PRIVATE', 'SHARED', 'PUBLIC'];

export const VISIBILITY_LABELS: Record<Visibility, string> = {
  PRIVATE: 'Only me',
  SHARED: 'Signed-in users',
  PUBLIC: 'Everyone',
};

export const VISIBILITY_HINTS: Record<Visibility, string> = {
  PRIVATE: 'Nobody else can open it.',
  SHARED: 'Anyone signed in to this site can see it.',
  PUBLIC: 'Shown in the public gallery and served by the CDN.',
};

export function listMyImages(nextToken?: string): Promise<Page<OwnImageRecord>> {
  return userApi().myImages({ limit: PAGE_SIZE.default, ...(nextToken ? { nextToken } : {}) });
}

/** One page only: another user's images never arrive more than a page at a time. */
export function listSharedImages(nextToken?: string): Promise<Page<ImageRecord>> {
  return userApi().sharedImages({ limit: PAGE_SIZE.default, ...(nextToken ? { nextToken } : {}) });
}

/** The CSS width of a card's picture at most (account.module.css lets cards grow to about that). */
const CARD_WIDTH = 320;

/**
 * The rendition a card shows: the smallest whose box covers the card at this screen's pixel
 * density (capped at 2, beyond which nobody sees the difference in a thumbnail), else the largest.
 */
export function thumbnailRendition(
  renditions: readonly Rendition[],
  devicePixelRatio: number,
): Rendition | undefined {
  const needed = CARD_WIDTH * Math.min(Math.max(devicePixelRatio || 1, 1), 2);
  const bySize = [...renditions].sort((a, b) => a.size - b.size);
  return bySize.find((rendition) => rendition.size >= needed) ?? bySize.at(-1);
}

/** The file name the original was uploaded with (`protected/<id>/<epoch ms>-<name>`), or undefined. */
export function originalFileName(originalKey: string | null): string | undefined {
  const name = originalKey?.split('/').pop();
  return name ? displayFileName(name) : undefined;
}

/**
 * Saves the owner's original as a file. Downloaded through Amplify rather than by navigating to a
 * presigned URL: in sandbox mode only the page's own requests are rerouted to the sandbox, a
 * navigation to the S3 host would leave the machine.
 */
export async function downloadOriginal(originalKey: string, fileName: string): Promise<void> {
  const { body } = await downloadData({ path: originalKey }).result;
  const url = URL.createObjectURL(await body.blob());
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // The click has handed the blob to the download; a later revoke would only keep memory.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
