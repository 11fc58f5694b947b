import { useEffect, useState } from 'react';
import { describeError } from '@/lib/errors';

export type Listing<T> =
  { status: 'loading' } | { status: 'failed'; message: string } | { status: 'ready'; items: T[] };

/**
 * Runs `load` on mount and again whenever `version` changes (after an upload, move or delete);
 * `doing` completes the error message ("we could not <doing>"). An answer that arrives after the
 * next load started, or after unmount, is dropped.
 */
export function useListing<T>(load: () => Promise<T[]>, doing: string, version: number): Listing<T> {
  const [state, setState] = useState<Listing<T>>({ status: 'loading' });
  useEffect(() => {
    let active = true;
    load().then(
      (items) => active && setState({ status: 'ready', items }),
      (error: unknown) => active && setState({ status: 'failed', message: describeError(error, doing) }),
    );
    return () => {
      active = false;
    };
  }, [load, doing, version]);
  return state;
}
