import { act, renderHook } from '@testing-library/react';
import { useDisplayName } from '@/components/account/display-name';

const KEY_A = 'snapshelf.display-name.user-a';
const KEY_B = 'snapshelf.display-name.user-b';

afterEach(() => window.localStorage.clear());

test('starts from the name stored for the user on this device', () => {
  window.localStorage.setItem(KEY_A, 'Zoë Q');
  const { result } = renderHook(() => useDisplayName('user-a'));
  expect(result.current[0]).toBe('Zoë Q');
});

test('keeps what is typed as typed and stores it normalised', () => {
  const { result } = renderHook(() => useDisplayName('user-a'));
  act(() => result.current[1]('Zoë  Q '));
  expect(result.current[0]).toBe('Zoë  Q ');
  expect(window.localStorage.getItem(KEY_A)).toBe('Zoë Q');
  act(() => result.current[1]('  '));
  expect(window.localStorage.getItem(KEY_A)).toBeNull();
});

test('another user sees their own name, not what the previous one typed', () => {
  window.localStorage.setItem(KEY_B, 'Bea');
  const { result, rerender } = renderHook(({ userId }) => useDisplayName(userId), {
    initialProps: { userId: 'user-a' },
  });
  act(() => result.current[1]('Ada'));
  rerender({ userId: 'user-b' });
  expect(result.current[0]).toBe('Bea');
});

test('follows a name saved in another tab', () => {
  const { result } = renderHook(() => useDisplayName('user-a'));
  act(() => {
    window.localStorage.setItem(KEY_A, 'Cy');
    window.dispatchEvent(new StorageEvent('storage', { key: KEY_A }));
  });
  expect(result.current[0]).toBe('Cy');
});
