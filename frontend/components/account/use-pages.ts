import { useCallback, useEffect, useState } from 'react';
import type { Page } from '@/lib/api/operations';
import { describeError } from '@/lib/errors';

export type PageState<T> =
  | { status: 'loading' }
  | { status: 'failed'; message: string }
  | { status: 'ready'; items: T[]; nextToken: string | null };

export interface Pages<T> {
  state: PageState<T>;
  /** 1 for the first page. */
  number: number;
  /** Undefined on the last page. */
  next?: () => void;
  /** Undefined on the first page. */
  previous?: () => void;
  /** Loads the current page again (after a failure, or to pick up new records). */
  reload: () => void;
  /** Changes the items shown without a request (an edit or delete the API confirmed). */
  update: (change: (items: T[]) => T[]) => void;
}

/**
 * One page of a data API listing at a time, walked with its opaque cursors (kept as a stack, so
 * "previous" needs no cursor of its own). A new `version` starts again at the first page, where
 * the newest images are. An answer that arrives after the next load started, or after unmount,
 * is dropped; `doing` completes the error message ("we could not <doing>").
 */
export function usePages<T>(
  load: (nextToken?: string) => Promise<Page<T>>,
  doing: string,
  version: number,
): Pages<T> {
  const [tokens, setTokens] = useState<string[]>([]);
  const [loads, setLoads] = useState(0);
  const [seenVersion, setSeenVersion] = useState(version);
  const [state, setState] = useState<PageState<T>>({ status: 'loading' });
  if (seenVersion !== version) {
    setSeenVersion(version);
    setTokens([]);
  }
  const token = tokens.at(-1);

  useEffect(() => {
    let active = true;
    load(token).then(
      (page) => active && setState({ status: 'ready', items: page.items, nextToken: page.nextToken }),
      (error: unknown) => active && setState({ status: 'failed', message: describeError(error, doing) }),
    );
    return () => {
      active = false;
    };
  }, [load, doing, token, version, loads]);

  const nextToken = state.status === 'ready' ? state.nextToken : null;
  const go = useCallback((change: (tokens: string[]) => string[]) => {
    setState({ status: 'loading' });
    setTokens(change);
  }, []);
  return {
    state,
    number: tokens.length + 1,
    next: nextToken ? () => go((current) => [...current, nextToken]) : undefined,
    previous: tokens.length > 0 ? () => go((current) => current.slice(0, -1)) : undefined,
    reload: useCallback(() => setLoads((count) => count + 1), []),
    update: useCallback(
      (change: (items: T[]) => T[]) =>
        setState((current) =>
          current.status === 'ready' ? { ...current, items: change(current.items) } : current,
        ),
      [],
    ),
  };
}
