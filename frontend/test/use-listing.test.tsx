import { act, renderHook, waitFor } from '@testing-library/react';
import { useListing } from '@/components/account/use-listing';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

test('loads again for a new version, and an answer that arrives late is dropped', async () => {
  const first = deferred<string[]>();
  const second = deferred<string[]>();
  const load = jest.fn().mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);
  const { result, rerender } = renderHook(({ version }) => useListing(load, 'list things', version), {
    initialProps: { version: 0 },
  });
  expect(result.current).toEqual({ status: 'loading' });

  rerender({ version: 1 });
  expect(load).toHaveBeenCalledTimes(2);
  await act(async () => second.resolve(['new']));
  expect(result.current).toEqual({ status: 'ready', items: ['new'] });
  await act(async () => first.resolve(['stale']));
  expect(result.current).toEqual({ status: 'ready', items: ['new'] });
});

test('a failure becomes the plain-language message', async () => {
  const load = jest.fn().mockRejectedValue(Object.assign(new Error('x'), { name: 'NoSuchKey' }));
  const { result } = renderHook(() => useListing(load, 'list things', 0));
  await waitFor(() => expect(result.current.status).toBe('failed'));
  expect(result.current).toEqual({
    status: 'failed',
    message:
      'We could not list things: the image is no longer there. It may have been moved or deleted; refresh to see the current list.',
  });
});
