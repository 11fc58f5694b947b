import { act, fireEvent, render, screen } from '@testing-library/react';

const myProfile = jest.fn();
const updateProfile = jest.fn();
// The browser client's wire behaviour is test/api-browser.test.ts's; here the form gets its answers.
jest.mock('@/lib/api/browser', () => ({
  userApi: () => ({
    myProfile: (...args: unknown[]) => myProfile(...args),
    updateProfile: (...args: unknown[]) => updateProfile(...args),
  }),
}));

import { DisplayName, normaliseDisplayName } from '@/components/account/display-name';
import { ApiError } from '@/lib/api/operations';

beforeEach(() => {
  myProfile.mockReset();
  updateProfile.mockReset();
});

async function renderLoaded(displayName: string | null) {
  myProfile.mockResolvedValue(displayName === null ? null : { identityId: 'id', displayName });
  await act(async () => {
    render(<DisplayName />);
  });
  return screen.getByLabelText('Your display name');
}

test('starts from the profile’s name, with the API’s limit shown', async () => {
  const input = await renderLoaded('Zoë Q');
  expect(input).toHaveValue('Zoë Q');
  expect(input).toHaveAttribute('maxLength', '60');
  expect(input).toHaveAccessibleDescription('Kept in your profile. 5 of 60 characters.');
});

test('a user without a profile starts empty', async () => {
  expect(await renderLoaded(null)).toHaveValue('');
});

test('saves the name normalised through updateProfile and says so', async () => {
  const input = await renderLoaded('');
  updateProfile.mockResolvedValue({ identityId: 'id', displayName: 'Zoë Q' });
  fireEvent.change(input, { target: { value: '  Zoë   Q ' } });
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Save name' }));
  });
  expect(updateProfile).toHaveBeenCalledWith({ displayName: 'Zoë Q' });
  expect(screen.getByRole('status')).toHaveTextContent('Saved.');
  expect(input).toHaveValue('Zoë Q');
});

test('an empty name is not sent', async () => {
  const input = await renderLoaded('Ada');
  fireEvent.change(input, { target: { value: '   ' } });
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Save name' }));
  });
  expect(updateProfile).not.toHaveBeenCalled();
  expect(screen.getByRole('alert')).toHaveTextContent('a display name cannot be empty');
});

test('a refusal is said in words', async () => {
  const input = await renderLoaded('Ada');
  updateProfile.mockRejectedValue(new ApiError('BadRequest', 'displayName may be at most 60 characters'));
  fireEvent.change(input, { target: { value: 'Ada L' } });
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Save name' }));
  });
  expect(screen.getByRole('alert')).toHaveTextContent(
    'We could not save your display name: displayName may be at most 60 characters',
  );
});

test('a profile that cannot be loaded is explained', async () => {
  myProfile.mockRejectedValue(new ApiError('NetworkError', 'fetch failed'));
  await act(async () => {
    render(<DisplayName />);
  });
  expect(screen.getByRole('alert')).toHaveTextContent('load your display name');
});

test('normalising collapses white space and trims', () => {
  expect(normaliseDisplayName('\t Zoë \n  Q ')).toBe('Zoë Q');
});
