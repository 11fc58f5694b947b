import { act, render, screen, waitFor } from '@testing-library/react';

const fetchAuthSession = jest.fn();
type AuthListener = (capsule: { payload: { event: string } }) => void;
const listeners: AuthListener[] = [];
jest.mock('aws-amplify/auth', () => ({ fetchAuthSession: () => fetchAuthSession() }));
jest.mock('aws-amplify/utils', () => ({
  Hub: {
    listen: (channel: string, listener: AuthListener) => {
      if (channel !== 'auth') throw new Error(`unexpected channel ${channel}`);
      listeners.push(listener);
      return () => listeners.splice(listeners.indexOf(listener), 1);
    },
  },
}));
jest.mock('@/lib/amplify-browser', () => ({ configureAmplify: jest.fn() }));

import { AmplifyProvider } from '@/components/amplify/amplify-provider';

function session(groups: string[] | undefined) {
  return { tokens: groups ? { idToken: { payload: { 'cognito:groups': groups } } } : undefined };
}

const hinted = () => document.cookie.split('; ').includes('snapshelf-moderator=1');

function emit(event: string) {
  act(() => listeners.forEach((listener) => listener({ payload: { event } })));
}

beforeEach(() => {
  fetchAuthSession.mockReset();
  listeners.length = 0;
  document.cookie = 'snapshelf-moderator=; Max-Age=0; Path=/';
});

describe('the moderator hint the signed-in area writes for the guest pages', () => {
  test('follows the session: set for admins, cleared on sign-out, set again on sign-in', async () => {
    fetchAuthSession.mockResolvedValue(session(['admins']));
    render(
      <AmplifyProvider setup={{ outputs: {} }}>
        <p>signed-in area</p>
      </AmplifyProvider>,
    );
    expect(screen.getByText('signed-in area')).toBeInTheDocument();
    await waitFor(() => expect(hinted()).toBe(true));

    emit('signedOut');
    expect(hinted()).toBe(false);

    emit('signedIn');
    await waitFor(() => expect(hinted()).toBe(true));
  });

  test('is cleared for users outside admins and for guests, and when a refreshed token drops the group', async () => {
    document.cookie = 'snapshelf-moderator=1; Path=/';
    fetchAuthSession.mockResolvedValue(session(['editors']));
    render(<AmplifyProvider setup={{ outputs: {} }}>x</AmplifyProvider>);
    await waitFor(() => expect(hinted()).toBe(false));

    fetchAuthSession.mockResolvedValue(session(['admins']));
    emit('tokenRefresh');
    await waitFor(() => expect(hinted()).toBe(true));

    fetchAuthSession.mockResolvedValue(session(undefined));
    emit('tokenRefresh');
    await waitFor(() => expect(hinted()).toBe(false));
  });

  test('stops listening when the signed-in area unmounts', () => {
    fetchAuthSession.mockResolvedValue(session(undefined));
    const { unmount } = render(<AmplifyProvider setup={{ outputs: {} }}>x</AmplifyProvider>);
    expect(listeners).toHaveLength(1);
    unmount();
    expect(listeners).toHaveLength(0);
  });
});
