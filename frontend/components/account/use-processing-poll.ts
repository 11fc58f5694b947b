import { useEffect } from 'react';
import { userApi } from '@/lib/api/browser';
import type { OwnImageRecord } from '@/lib/api/operations';

/** Waits between polls: quick at first (small images are ready in about a second), then gently. */
export const POLL_DELAYS_MS = [1000, 2000, 4000, 8000, 15000] as const;

/**
 * While an image is PROCESSING, asks the API for its record again with backoff and hands over
 * the record once it settles (READY, REJECTED, HIDDEN), or null once it is gone. A failed poll is
 * retried like a slow one: the pipeline may still finish.
 */
export function useProcessingPoll(
  image: Pick<OwnImageRecord, 'imageId' | 'status'>,
  settled: (record: OwnImageRecord | null) => void,
): void {
  const { imageId, status } = image;
  useEffect(() => {
    if (status !== 'PROCESSING') return;
    let active = true;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const record = await userApi().image({ imageId });
        if (!active) return;
        if (record?.status !== 'PROCESSING') {
          settled(record);
          return;
        }
      } catch {
        if (!active) return;
      }
      schedule();
    };
    const schedule = () => {
      const delay = POLL_DELAYS_MS[Math.min(attempt, POLL_DELAYS_MS.length - 1)];
      attempt += 1;
      timer = setTimeout(() => void poll(), delay);
    };
    schedule();
    return () => {
      active = false;
      clearTimeout(timer);
    };
  }, [imageId, status, settled]);
}
