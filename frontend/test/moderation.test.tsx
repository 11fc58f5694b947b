import { fireEvent, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';

const fetchAuthSession = jest.fn();
const remove = jest.fn();
jest.mock('aws-amplify/auth', () => ({ fetchAuthSession: () => fetchAuthSession() }));
jest.mock('aws-amplify/storage', () => ({ remove: (...args: unknown[]) => remove(...args) }));
// The Authenticator's own flows are Amplify's; here the admin is already signed in.
const signOut = jest.fn();
jest.mock('@aws-amplify/ui-react', () => ({
  Authenticator: ({ children }: { children: (props: { user: object; signOut: () => void }) => ReactNode }) =>
    children({ user: { userId: 'sub-1' }, signOut }),
}));

import { ModerateImage } from '@/components/moderation/moderate-image';
import { isModerator, moderatorCookie } from '@/lib/moderator-hint';

const image = {
  path: 'public/eu-west-1:abc/1731000000000-cat.png',
  url: 'https://d111111abcdef8.cloudfront.net/eu-west-1%3Aabc/1731000000000-cat.png',
  href: '/p/eu-west-1%3Aabc/1731000000000-cat.png',
  fileName: 'cat.png',
  title: 'cat',
};

function session(groups?: string[]) {
  return { tokens: { idToken: { payload: groups ? { 'cognito:groups': groups } : {} } } };
}

beforeEach(() => {
  fetchAuthSession.mockReset();
  remove.mockReset();
  signOut.mockReset();
});

describe('the moderation page', () => {
  test('an admin confirms, the image is removed with their credentials, and the page says so', async () => {
    fetchAuthSession.mockResolvedValue(session(['admins']));
    remove.mockResolvedValue({ path: image.path });
    render(<ModerateImage image={image} />);
    const keep = await screen.findByRole('link', { name: 'Keep' });
    expect(keep).toHaveAttribute('href', image.href);
    expect(keep).toHaveFocus();
    expect(screen.getByRole('img', { name: 'cat' })).toHaveAttribute('src', image.url);

    fireEvent.click(screen.getByRole('button', { name: 'Remove' }));
    expect(await screen.findByRole('status')).toHaveTextContent(
      '“cat.png” was removed from the public gallery.',
    );
    expect(remove).toHaveBeenCalledWith({ path: image.path });
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
  });

  test('someone outside admins is told why and gets no remove button', async () => {
    fetchAuthSession.mockResolvedValue(session(['editors']));
    render(<ModerateImage image={image} />);
    expect(await screen.findByRole('alert')).toHaveTextContent('Only admins can remove images');
    expect(screen.queryByRole('button', { name: 'Remove' })).not.toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Sign in with another account' }));
    expect(signOut).toHaveBeenCalledTimes(1);
  });

  test('a session that cannot be read is explained, with no remove button', async () => {
    fetchAuthSession.mockRejectedValue(Object.assign(new Error('Network error'), { name: 'NetworkError' }));
    render(<ModerateImage image={image} />);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'We could not reach the storage service to check your account. Check your connection and try again.',
    );
    expect(screen.queryByRole('button', { name: 'Remove' })).not.toBeInTheDocument();
    expect(remove).not.toHaveBeenCalled();
  });

  test('a refusal from S3 is shown in plain words and nothing claims success', async () => {
    fetchAuthSession.mockResolvedValue(session(['admins']));
    remove.mockRejectedValue(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    render(<ModerateImage image={image} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Remove' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('You are not allowed to remove this image.');
    expect(screen.queryByText(/was removed/)).not.toBeInTheDocument();
    // The admin can try again without reloading.
    remove.mockResolvedValue({ path: image.path });
    fireEvent.click(screen.getByRole('button', { name: 'Remove' }));
    expect(await screen.findByRole('status')).toHaveTextContent('was removed');
    expect(remove).toHaveBeenCalledTimes(2);
  });
});

describe('the moderator hint cookie', () => {
  test('is set for admins for the refresh token lifetime and expired for everyone else', () => {
    expect(moderatorCookie(true, false)).toBe('snapshelf-moderator=1; Max-Age=2592000; Path=/; SameSite=Lax');
    expect(moderatorCookie(false, true)).toBe(
      'snapshelf-moderator=; Max-Age=0; Path=/; SameSite=Lax; Secure',
    );
  });

  test('counts only its exact value', () => {
    expect(isModerator({ 'snapshelf-moderator': '1' })).toBe(true);
    expect(isModerator({ 'snapshelf-moderator': 'true' })).toBe(false);
    expect(isModerator({})).toBe(false);
  });
});
