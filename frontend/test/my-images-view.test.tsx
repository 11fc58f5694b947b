import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { MoveOutcome, OwnImage } from '@/lib/my-images';

const listOwnImages = jest.fn<Promise<OwnImage[]>, []>();
const changeVisibility = jest.fn<Promise<MoveOutcome>, [OwnImage, string]>();
const deleteImage = jest.fn<Promise<void>, [OwnImage]>();
jest.mock('@/lib/my-images', () => ({
  listOwnImages: () => listOwnImages(),
  changeVisibility: (image: OwnImage, to: string) => changeVisibility(image, to),
  deleteImage: (image: OwnImage) => deleteImage(image),
}));
// StorageImage fetches a presigned URL through Amplify; here a plain <img> with the same alt.
jest.mock('@aws-amplify/ui-react-storage', () => ({
  StorageImage: ({ alt, path }: { alt: string; path: string }) => <img alt={alt} data-path={path} />,
}));

import { MyImages } from '@/components/account/my-images';

const ID = 'eu-west-1:0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
const cat: OwnImage = {
  path: `protected/${ID}/1731000000000-cat.png`,
  visibility: 'protected',
  fileName: '1731000000000-cat.png',
};

beforeEach(() => {
  listOwnImages.mockReset().mockResolvedValue([cat]);
  changeVisibility.mockReset();
  deleteImage.mockReset();
});

test('shows each image with its visibility', async () => {
  render(<MyImages version={0} onChanged={jest.fn()} />);
  expect(await screen.findByRole('img', { name: 'cat' })).toHaveAttribute('data-path', cat.path);
  expect(screen.getByLabelText('Who can see it')).toHaveValue('protected');
});

test('an empty folder says how to start', async () => {
  listOwnImages.mockResolvedValue([]);
  render(<MyImages version={0} onChanged={jest.fn()} />);
  expect(await screen.findByText(/No images yet/)).toBeInTheDocument();
});

test('a listing failure explains itself and offers a retry', async () => {
  listOwnImages.mockRejectedValue(Object.assign(new Error('expired'), { name: 'ExpiredToken' }));
  const onChanged = jest.fn();
  render(<MyImages version={0} onChanged={onChanged} />);
  const alert = await screen.findByRole('alert');
  expect(alert).toHaveTextContent(
    'Your session has expired, so we could not list your images. Sign in again',
  );
  fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
  expect(onChanged).toHaveBeenCalled();
});

test('a failed copy says nothing changed', async () => {
  changeVisibility.mockResolvedValue({
    kind: 'copy-failed',
    error: Object.assign(new Error('x'), { name: 'AccessDenied' }),
  });
  const onChanged = jest.fn();
  render(<MyImages version={0} onChanged={onChanged} />);
  fireEvent.change(await screen.findByLabelText('Who can see it'), { target: { value: 'public' } });
  expect(
    await screen.findByText(/You are not allowed to change who can see “cat.png”.*Nothing was changed\./),
  ).toBeInTheDocument();
  expect(changeVisibility).toHaveBeenCalledWith(cat, 'public');
  expect(onChanged).not.toHaveBeenCalled();
});

test('a failed delete after a good copy reports both copies', async () => {
  changeVisibility.mockResolvedValue({
    kind: 'delete-failed',
    path: `public/${ID}/1731000000000-cat.png`,
    error: Object.assign(new Error('x'), { name: 'NetworkError' }),
  });
  const onChanged = jest.fn();
  render(<MyImages version={0} onChanged={onChanged} />);
  fireEvent.change(await screen.findByLabelText('Who can see it'), { target: { value: 'public' } });
  expect(
    await screen.findByText(
      /“cat.png” is now visible to everyone, but the copy visible to signed-in users is still there/,
    ),
  ).toBeInTheDocument();
  expect(onChanged).toHaveBeenCalled();
});

test('delete asks first, and Keep cancels', async () => {
  const onChanged = jest.fn();
  render(<MyImages version={0} onChanged={onChanged} />);
  fireEvent.click(await screen.findByRole('button', { name: 'Delete cat.png' }));
  const confirm = screen.getByRole('group', { name: 'Delete cat.png' });
  expect(within(confirm).getByRole('button', { name: 'Keep' })).toHaveFocus();
  fireEvent.click(within(confirm).getByRole('button', { name: 'Keep' }));
  expect(deleteImage).not.toHaveBeenCalled();

  deleteImage.mockResolvedValue();
  fireEvent.click(screen.getByRole('button', { name: 'Delete cat.png' }));
  fireEvent.click(
    within(screen.getByRole('group', { name: 'Delete cat.png' })).getByRole('button', { name: 'Delete' }),
  );
  await waitFor(() => expect(deleteImage).toHaveBeenCalledWith(cat));
  expect(await screen.findByText('“cat.png” was deleted.')).toBeInTheDocument();
  expect(onChanged).toHaveBeenCalled();
});
