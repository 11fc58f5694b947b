import { fireEvent, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';

const fetchAuthSession = jest.fn();
const moderateImage = jest.fn();
jest.mock('aws-amplify/auth', () => ({ fetchAuthSession: () => fetchAuthSession() }));
// The browser client's wire behaviour is test/api-browser.test.ts's; here the page gets its answers.
jest.mock('@/lib/api/browser', () => ({
  userApi: () => ({ moderateImage: (...args: unknown[]) => moderateImage(...args) }),
}));
// The Authenticator's own flows are Amplify's; here the admin is already signed in.
const signOut = jest.fn();
jest.mock('@aws-amplify/ui-react', () => ({
  Authenticator: ({ children }: { children: (props: { user: object; signOut: () => void }) => ReactNode }) =>
    children({ user: { userId: 'sub-1' }, signOut }),
}));

import { ModerateImage } from '@/components/moderation/moderate-image';
import { ApiError } from '@/lib/api/operations';
import { isModerator, moderatorCookie } from '@/lib/moderator-hint';

const image = {
  imageId: 'AAAAAAAAAAAAAAAAAAAAAA',
  src: 'https://d111111abcdef8.cloudfront.net/eu-west-1:abc/AAAAAAAAAAAAAAAAAAAAAA/0001/640.webp',
  alt: 'A grey cat',
  href: '/p/AAAAAAAAAAAAAAAAAAAAAA',
  title: 'Cat',
};

function session(groups?: string[]) {
  return { tokens: { idToken: { payload: groups ? { 'cognito:groups': groups } : {} } } };
}

beforeEach(() => {
  fetchAuthSession.mockReset();
  moderateImage.mockReset();
  signOut.mockReset();
});

describe('the moderation page', () => {
  test('an admin removes the image through the API, and the page says so', async () => {
    fetchAuthSession.mockResolvedValue(session(['admins']));
    moderateImage.mockResolvedValue(true);
    render(<ModerateImage image={image} />);
    const keep = await screen.findByRole('link', { name: 'Keep' });
    expect(keep).toHaveAttribute('href', image.href);
    expect(keep).toHaveFocus();
    expect(screen.getByRole('img', { name: 'A grey cat' })).toHaveAttribute('src', image.src);

    fireEvent.click(screen.getByRole('button', { name: 'Remove' }));
    expect(await screen.findByRole('status')).toHaveTextContent('“Cat” was removed, with its file.');
    expect(moderateImage).toHaveBeenCalledWith({ imageId: image.imageId, action: 'REMOVE' });
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
  });

  test('an admin hides the image: it leaves the gallery, its owner keeps it', async () => {
    fetchAuthSession.mockResolvedValue(session(['admins']));
    moderateImage.mockResolvedValue(true);
    render(<ModerateImage image={image} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Hide' }));
    expect(await screen.findByRole('status')).toHaveTextContent('“Cat” is hidden');
    expect(moderateImage).toHaveBeenCalledWith({ imageId: image.imageId, action: 'HIDE' });
  });

  test('someone outside admins is told why and gets no remove button', async () => {
    fetchAuthSession.mockResolvedValue(session(['editors']));
    render(<ModerateImage image={image} />);
    expect(await screen.findByRole('alert')).toHaveTextContent('Only admins can hide or remove images');
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
    expect(moderateImage).not.toHaveBeenCalled();
  });

  test('a refusal from the API is shown in plain words and nothing claims success', async () => {
    fetchAuthSession.mockResolvedValue(session(['admins']));
    moderateImage.mockRejectedValue(new ApiError('Unauthorized', 'Only admins moderate.'));
    render(<ModerateImage image={image} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Remove' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('You are not allowed to remove this image.');
    expect(screen.queryByText(/was removed/)).not.toBeInTheDocument();
    // The admin can try again without reloading.
    moderateImage.mockResolvedValue(true);
    fireEvent.click(screen.getByRole('button', { name: 'Remove' }));
    expect(await screen.findByRole('status')).toHaveTextContent('was removed');
    expect(moderateImage).toHaveBeenCalledTimes(2);
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
