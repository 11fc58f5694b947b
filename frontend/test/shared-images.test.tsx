import { fireEvent, render, screen, within } from '@testing-library/react';
import type { ImageRecord, Page } from '@/lib/api/operations';

const sharedImages = jest.fn<Promise<Page<ImageRecord>>, [{ limit?: number; nextToken?: string }]>();
jest.mock('@/lib/api/browser', () => ({ userApi: () => ({ sharedImages }) }));
jest.mock('@aws-amplify/ui-react-storage', () => ({
  StorageImage: ({ alt, path }: { alt: string; path: string }) => <img alt={alt} data-path={path} />,
}));

import { SharedImages } from '@/components/account/shared-images';

const OTHER = 'eu-west-1:99999999-8888-4777-8666-555555555555';

function shared(imageId: string, title: string | null, ownerName: string | null = null): ImageRecord {
  return {
    imageId,
    ownerId: OTHER,
    ownerName,
    title,
    altText: null,
    description: null,
    width: 640,
    height: 480,
    placeholder: null,
    publishedAt: null,
    renditions: [320, 640].map((size) => ({
      size,
      width: size,
      height: (size * 3) / 4,
      key: `renditions/protected/${OTHER}/${imageId}/v1/${size}.webp`,
    })),
  };
}

beforeEach(() => sharedImages.mockReset());

test('one page of other people’s renditions, the next only when asked', async () => {
  sharedImages.mockImplementation(({ nextToken }) =>
    Promise.resolve(
      nextToken
        ? { items: [shared('b', null)], nextToken: null }
        : { items: [shared('a', 'Dunes', 'Bo')], nextToken: 'c2' },
    ),
  );
  render(<SharedImages />);
  const image = await screen.findByRole('img', { name: 'Photo: Dunes by Bo' });
  expect(screen.getByText('by Bo')).toBeInTheDocument();
  expect(image).toHaveAttribute('data-path', `renditions/protected/${OTHER}/a/v1/320.webp`);
  expect(sharedImages).toHaveBeenCalledTimes(1);
  expect(sharedImages).toHaveBeenCalledWith({ limit: 24 });
  // Read only: no owner's controls.
  expect(screen.queryByRole('button', { name: /Delete|Edit|Download/ })).not.toBeInTheDocument();
  expect(screen.queryByLabelText('Who can see it')).not.toBeInTheDocument();

  fireEvent.click(
    within(screen.getByRole('navigation', { name: 'Pages of shared images' })).getByRole('button', {
      name: 'Older',
    }),
  );
  expect(await screen.findByText('Untitled')).toBeInTheDocument();
  expect(screen.queryByText('Dunes')).not.toBeInTheDocument();
  expect(screen.queryByText(/^by /)).not.toBeInTheDocument();
  expect(sharedImages).toHaveBeenCalledTimes(2);
  expect(sharedImages).toHaveBeenLastCalledWith({ limit: 24, nextToken: 'c2' });
});

test('nothing shared yet, and a failure with a retry', async () => {
  sharedImages.mockResolvedValueOnce({ items: [], nextToken: null });
  const { unmount } = render(<SharedImages />);
  expect(await screen.findByText(/Nobody has shared images/)).toBeInTheDocument();
  expect(screen.queryByRole('navigation')).not.toBeInTheDocument();
  unmount();

  sharedImages.mockRejectedValueOnce(Object.assign(new Error('down'), { name: 'NetworkError' }));
  sharedImages.mockResolvedValueOnce({ items: [shared('a', 'Dunes')], nextToken: null });
  render(<SharedImages />);
  const alert = await screen.findByRole('alert');
  expect(alert).toHaveTextContent('to list the shared images');
  fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
  expect(await screen.findByText('Dunes')).toBeInTheDocument();
});
