import { act, fireEvent, render, screen } from '@testing-library/react';

const deleteMyData = jest.fn();
const deleteUser = jest.fn();
jest.mock('aws-amplify/auth', () => ({ deleteUser: () => deleteUser() }));
// The browser client's wire behaviour is test/api-browser.test.ts's; here the page gets its answers.
jest.mock('@/lib/api/browser', () => ({
  userApi: () => ({ deleteMyData: (...args: unknown[]) => deleteMyData(...args) }),
}));

import { DeleteAccount, WHAT_GOES } from '@/components/account/delete-account';
import { ApiError } from '@/lib/api/operations';

beforeEach(() => {
  deleteMyData.mockReset();
  deleteUser.mockReset();
});

async function confirm(label = 'Delete my account') {
  fireEvent.click(screen.getByRole('button', { name: label }));
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Delete everything' }));
  });
}

test('asks first, saying what goes: every image, rendition, record, the profile, the sign-in', () => {
  render(<DeleteAccount leave={jest.fn()} />);
  fireEvent.click(screen.getByRole('button', { name: 'Delete my account' }));
  expect(
    screen.getByRole('alertdialog', { name: 'Delete your account and everything in it?' }),
  ).toHaveAccessibleDescription(WHAT_GOES);
  expect(WHAT_GOES).toMatch(/image.*smaller versions.*published copies.*titles.*display name.*sign-in/);
  expect(deleteMyData).not.toHaveBeenCalled();
});

test('deletes the data, then the user, then leaves for the gallery', async () => {
  const order: string[] = [];
  deleteMyData.mockImplementation(async () => order.push('data'));
  deleteUser.mockImplementation(async () => order.push('user'));
  const leave = jest.fn(() => order.push('leave'));
  render(<DeleteAccount leave={leave} />);
  await confirm();
  expect(order).toEqual(['data', 'user', 'leave']);
});

test('when the data cannot be deleted, the sign-in stays and the user is told', async () => {
  deleteMyData.mockRejectedValue(new ApiError('NetworkError', 'fetch failed'));
  const leave = jest.fn();
  render(<DeleteAccount leave={leave} />);
  await confirm();
  expect(screen.getByRole('alert')).toHaveTextContent('We could not reach');
  expect(deleteUser).not.toHaveBeenCalled();
  expect(leave).not.toHaveBeenCalled();
});

test('when only the sign-in is left, pressing again finishes without deleting the data twice', async () => {
  deleteMyData.mockResolvedValue(true);
  deleteUser.mockRejectedValueOnce(Object.assign(new Error('Network error'), { name: 'NetworkError' }));
  const leave = jest.fn();
  render(<DeleteAccount leave={leave} />);
  await confirm();
  expect(screen.getByRole('alert')).toHaveTextContent('Your images and profile are deleted, but');
  expect(leave).not.toHaveBeenCalled();

  deleteUser.mockResolvedValue(undefined);
  await confirm('Finish deleting my account');
  expect(deleteMyData).toHaveBeenCalledTimes(1);
  expect(deleteUser).toHaveBeenCalledTimes(2);
  expect(leave).toHaveBeenCalledTimes(1);
});
