import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { OwnImageRecord, Page } from '@/lib/api/operations';

const api = {
  myImages: jest.fn<Promise<Page<OwnImageRecord>>, [{ limit?: number; nextToken?: string }]>(),
  image: jest.fn<Promise<OwnImageRecord | null>, [{ imageId: string }]>(),
  setVisibility: jest.fn(),
  updateImage: jest.fn(),
  deleteImage: jest.fn(),
};
// The browser client's wire behaviour is test/api-browser.test.ts's; here the page gets its answers.
jest.mock('@/lib/api/browser', () => ({ userApi: () => api }));
const downloadData = jest.fn();
jest.mock('aws-amplify/storage', () => ({
  downloadData: (input: unknown) => downloadData(input),
}));
// StorageImage fetches a presigned URL through Amplify; here a plain <img> that shows which key.
jest.mock('@aws-amplify/ui-react-storage', () => ({
  StorageImage: ({ alt, path }: { alt: string; path: string }) => <img alt={alt} data-path={path} />,
}));

import { MyImages } from '@/components/account/my-images';
import { POLL_DELAYS_MS } from '@/components/account/use-processing-poll';
import { ApiError } from '@/lib/api/operations';
import { thumbnailRendition } from '@/lib/my-images';

const ID = 'eu-west-1:0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
const renditionsOf = (imageId: string, folder = 'renditions/protected') =>
  [320, 640, 1280].map((size) => ({
    size,
    width: size,
    height: (size * 3) / 4,
    key: `${folder}/${ID}/${imageId}/v1/${size}.webp`,
  }));

function record(imageId: string, changes: Partial<OwnImageRecord> = {}): OwnImageRecord {
  return {
    imageId,
    ownerId: ID,
    ownerName: null,
    title: null,
    altText: null,
    description: null,
    width: 1280,
    height: 960,
    placeholder: '#336699',
    publishedAt: null,
    renditions: renditionsOf(imageId),
    visibility: 'SHARED',
    status: 'READY',
    rejectionReason: null,
    originalKey: `protected/${ID}/1731000000000-${imageId}.jpg`,
    originalBytes: 123456,
    createdAt: '2026-12-07T01:00:00.000Z',
    ...changes,
  };
}

// A card's title (the same words are also hidden inside its buttons, for screen readers).
const TITLE = { selector: 'p' };

const page = (items: OwnImageRecord[], nextToken: string | null = null) => ({ items, nextToken });

beforeEach(() => {
  Object.values(api).forEach((mock) => mock.mockReset());
  downloadData.mockReset();
});

afterEach(() => {
  jest.useRealTimers();
});

test('a card shows a rendition for the screen’s density, never the original', () => {
  const renditions = renditionsOf('a');
  expect(thumbnailRendition(renditions, 1)?.size).toBe(320);
  expect(thumbnailRendition(renditions, 2)?.size).toBe(640);
  expect(thumbnailRendition(renditions, 3)?.size).toBe(640);
  expect(thumbnailRendition(renditions.slice(0, 1), 2)?.size).toBe(320);
  expect(thumbnailRendition([], 1)).toBeUndefined();
});

test('lists the records the API returns, newest first, with their alt text and a rendition', async () => {
  api.myImages.mockResolvedValue(
    page([record('harbour', { title: 'Harbour', altText: 'Boats at dusk' }), record('cat')]),
  );
  render(<MyImages uploads={[]} />);
  const harbour = await screen.findByRole('img', { name: 'Boats at dusk' });
  expect(harbour).toHaveAttribute('data-path', `renditions/protected/${ID}/harbour/v1/320.webp`);
  const cards = screen.getAllByRole('listitem');
  expect(within(cards[0]!).getByText('Harbour', TITLE)).toBeInTheDocument();
  // Untitled: the name it was uploaded with, without the stored prefix.
  expect(within(cards[1]!).getByText('cat.jpg', TITLE)).toBeInTheDocument();
  expect(api.myImages).toHaveBeenCalledWith({ limit: 24 });
  for (const image of screen.getAllByRole('img')) {
    expect(image.getAttribute('data-path')).toMatch(/^renditions\//);
  }
});

test('an empty list says how to start; a failure explains itself and retries', async () => {
  api.myImages.mockResolvedValueOnce(page([]));
  const { unmount } = render(<MyImages uploads={[]} />);
  expect(await screen.findByText(/No images yet/)).toBeInTheDocument();
  unmount();

  api.myImages.mockRejectedValueOnce(new ApiError('ExpiredTokenException', 'expired'));
  api.myImages.mockResolvedValueOnce(page([record('cat')]));
  render(<MyImages uploads={[]} />);
  const alert = await screen.findByRole('alert');
  expect(alert).toHaveTextContent('Your session has expired, so we could not list your images.');
  fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
  expect(await screen.findByText('cat.jpg', TITLE)).toBeInTheDocument();
});

test('“Processing…” turns into the image without a reload, polling with backoff', async () => {
  jest.useFakeTimers();
  api.myImages.mockResolvedValue(page([record('cat', { status: 'PROCESSING', renditions: [] })]));
  api.image
    .mockResolvedValueOnce(record('cat', { status: 'PROCESSING', renditions: [] }))
    .mockResolvedValueOnce(record('cat'));
  render(<MyImages uploads={[]} />);
  await act(async () => {});
  expect(screen.getByRole('status')).toHaveTextContent('Processing…');
  expect(screen.queryByRole('img')).not.toBeInTheDocument();

  await act(async () => {
    await jest.advanceTimersByTimeAsync(POLL_DELAYS_MS[0]);
  });
  expect(api.image).toHaveBeenCalledTimes(1);
  expect(screen.getByText('Processing…')).toBeInTheDocument();
  // The second poll waits longer than the first.
  await act(async () => {
    await jest.advanceTimersByTimeAsync(POLL_DELAYS_MS[0]);
  });
  expect(api.image).toHaveBeenCalledTimes(1);
  await act(async () => {
    await jest.advanceTimersByTimeAsync(POLL_DELAYS_MS[1] - POLL_DELAYS_MS[0]);
  });
  expect(api.image).toHaveBeenCalledTimes(2);
  expect(api.image).toHaveBeenCalledWith({ imageId: 'cat' });
  expect(screen.queryByText('Processing…')).not.toBeInTheDocument();
  expect(screen.getByRole('img')).toHaveAttribute(
    'data-path',
    expect.stringMatching(/\/cat\/v1\/320\.webp$/),
  );

  // Settled: no more polls.
  await act(async () => {
    await jest.advanceTimersByTimeAsync(60_000);
  });
  expect(api.image).toHaveBeenCalledTimes(2);
  expect(api.myImages).toHaveBeenCalledTimes(1);
});

test('a fresh upload shows as processing until its record is listed', async () => {
  jest.useFakeTimers();
  const key = `protected/${ID}/1731000000000-new.jpg`;
  api.myImages
    .mockResolvedValueOnce(page([record('cat')]))
    .mockResolvedValueOnce(page([record('cat')]))
    .mockResolvedValue(
      page([record('new', { originalKey: key, status: 'PROCESSING', renditions: [] }), record('cat')]),
    );
  api.image.mockResolvedValue(record('new', { originalKey: key, status: 'PROCESSING', renditions: [] }));
  const { rerender } = render(<MyImages uploads={[]} />);
  await act(async () => {});
  rerender(<MyImages uploads={[key]} />);
  await act(async () => {});
  const waiting = screen.getAllByRole('listitem')[0]!;
  expect(waiting).toHaveTextContent('Processing…');
  expect(waiting).toHaveTextContent('new.jpg');
  await act(async () => {
    await jest.advanceTimersByTimeAsync(500);
  });
  expect(api.myImages).toHaveBeenCalledTimes(3);
  expect(screen.getAllByRole('listitem')).toHaveLength(2);
  expect(screen.getAllByRole('listitem')[0]).toHaveTextContent('Processing…');
  await act(async () => {
    await jest.advanceTimersByTimeAsync(10_000);
  });
  expect(api.myImages).toHaveBeenCalledTimes(3);
});

test('a rejected upload says why and can be removed', async () => {
  api.myImages.mockResolvedValue(
    page([
      record('odd', { status: 'REJECTED', rejectionReason: 'The file is not an image.', renditions: [] }),
    ]),
  );
  api.deleteImage.mockResolvedValue(true);
  render(<MyImages uploads={[]} />);
  const card = (await screen.findAllByRole('listitem'))[0]!;
  expect(within(card).getByRole('status')).toHaveTextContent('Not accepted: The file is not an image.');
  expect(within(card).queryByRole('button', { name: /Download original/ })).not.toBeInTheDocument();
  expect(within(card).queryByLabelText('Who can see it')).not.toBeInTheDocument();
  fireEvent.click(within(card).getByRole('button', { name: 'Delete odd.jpg' }));
  fireEvent.click(within(card).getByRole('button', { name: 'Delete' }));
  await waitFor(() => expect(api.deleteImage).toHaveBeenCalledWith({ imageId: 'odd' }));
  expect(await screen.findByText('“odd.jpg” was deleted.')).toBeInTheDocument();
  expect(screen.queryByRole('listitem')).not.toBeInTheDocument();
});

test('visibility is one setVisibility call; a refusal says nothing changed', async () => {
  api.myImages.mockResolvedValue(page([record('cat')]));
  api.setVisibility.mockResolvedValueOnce(record('cat', { visibility: 'PUBLIC' }));
  render(<MyImages uploads={[]} />);
  const select = await screen.findByLabelText('Who can see it');
  expect(select).toHaveValue('SHARED');
  fireEvent.change(select, { target: { value: 'PUBLIC' } });
  expect(await screen.findByText('“cat.jpg” is now visible to: Everyone.')).toBeInTheDocument();
  expect(api.setVisibility).toHaveBeenCalledTimes(1);
  expect(api.setVisibility).toHaveBeenCalledWith({ imageId: 'cat', visibility: 'PUBLIC' });
  expect(screen.getByLabelText('Who can see it')).toHaveValue('PUBLIC');

  api.setVisibility.mockRejectedValueOnce(new ApiError('Conflict', 'The image is still processing.'));
  fireEvent.change(screen.getByLabelText('Who can see it'), { target: { value: 'PRIVATE' } });
  expect(
    await screen.findByText(
      'We could not change who can see “cat.jpg”: The image is still processing. Nothing was changed.',
    ),
  ).toBeInTheDocument();
  expect(screen.getByLabelText('Who can see it')).toHaveValue('PUBLIC');
});

test('title, alt text and description are saved through updateImage and shown', async () => {
  api.myImages.mockResolvedValue(page([record('cat')]));
  api.updateImage.mockImplementation((input: { imageId: string; title: string; altText: string }) =>
    Promise.resolve(record('cat', { title: input.title, altText: input.altText })),
  );
  render(<MyImages uploads={[]} />);
  fireEvent.click(await screen.findByRole('button', { name: 'Edit text of cat.jpg' }));
  fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'Mog' } });
  fireEvent.change(screen.getByLabelText('Alt text'), { target: { value: 'A grey cat asleep' } });
  fireEvent.click(screen.getByRole('button', { name: 'Save' }));
  expect(await screen.findByText('Saved.')).toBeInTheDocument();
  expect(api.updateImage).toHaveBeenCalledWith({
    imageId: 'cat',
    title: 'Mog',
    altText: 'A grey cat asleep',
    description: '',
  });
  expect(screen.getByText('Mog', TITLE)).toBeInTheDocument();
  expect(screen.getByRole('img', { name: 'A grey cat asleep' })).toBeInTheDocument();
  expect(screen.queryByLabelText('Title')).not.toBeInTheDocument();
});

test('delete asks first; Cancel keeps the image', async () => {
  api.myImages.mockResolvedValue(page([record('cat')]));
  api.deleteImage.mockResolvedValue(true);
  render(<MyImages uploads={[]} />);
  fireEvent.click(await screen.findByRole('button', { name: 'Delete cat.jpg' }));
  const dialog = screen.getByRole('alertdialog', { name: 'Delete “cat.jpg”?' });
  expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
  fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
  expect(api.deleteImage).not.toHaveBeenCalled();

  fireEvent.click(screen.getByRole('button', { name: 'Delete cat.jpg' }));
  fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete' }));
  await waitFor(() => expect(api.deleteImage).toHaveBeenCalledWith({ imageId: 'cat' }));
  expect(await screen.findByText('“cat.jpg” was deleted.')).toBeInTheDocument();
});

test('“Download original” fetches the original’s key with the user’s credentials and saves it', async () => {
  api.myImages.mockResolvedValue(page([record('cat')]));
  downloadData.mockReturnValue({
    result: Promise.resolve({ body: { blob: () => Promise.resolve(new Blob(['x'])) } }),
  });
  const createObjectURL = jest.fn(() => 'blob:original');
  Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
  const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
    this: HTMLAnchorElement,
  ) {
    expect(this.download).toBe('cat.jpg');
    expect(this.href).toBe('blob:original');
  });
  render(<MyImages uploads={[]} />);
  fireEvent.click(await screen.findByRole('button', { name: 'Download original of cat.jpg' }));
  await waitFor(() => expect(click).toHaveBeenCalledTimes(1));
  expect(downloadData).toHaveBeenCalledWith({ path: `protected/${ID}/1731000000000-cat.jpg` });
  click.mockRestore();
});

test('pages: one page at a time, older with the cursor, newer from the stack', async () => {
  api.myImages.mockImplementation(({ nextToken }) =>
    Promise.resolve(nextToken === 'cursor-2' ? page([record('old')]) : page([record('new')], 'cursor-2')),
  );
  render(<MyImages uploads={[]} />);
  expect(await screen.findByText('new.jpg', TITLE)).toBeInTheDocument();
  const nav = screen.getByRole('navigation', { name: 'Pages of your images' });
  expect(within(nav).getByRole('button', { name: 'Newer' })).toBeDisabled();
  fireEvent.click(within(nav).getByRole('button', { name: 'Older' }));
  expect(await screen.findByText('old.jpg', TITLE)).toBeInTheDocument();
  expect(screen.queryByText('new.jpg', TITLE)).not.toBeInTheDocument();
  expect(api.myImages).toHaveBeenLastCalledWith({ limit: 24, nextToken: 'cursor-2' });
  expect(screen.getByText('Page 2')).toBeInTheDocument();
  expect(screen.getByRole('button', { name: 'Older' })).toBeDisabled();
  fireEvent.click(screen.getByRole('button', { name: 'Newer' }));
  expect(await screen.findByText('new.jpg', TITLE)).toBeInTheDocument();
  expect(api.myImages).toHaveBeenLastCalledWith({ limit: 24 });
});

test('a fresh upload deleted once listed does not come back as processing', async () => {
  const key = `protected/${ID}/1731000000000-odd.jpg`;
  const odd = record('odd', {
    originalKey: key,
    status: 'REJECTED',
    rejectionReason: 'Not an image.',
    renditions: [],
  });
  api.myImages.mockResolvedValueOnce(page([])).mockResolvedValue(page([odd]));
  api.deleteImage.mockResolvedValue(true);
  const { rerender } = render(<MyImages uploads={[]} />);
  await screen.findByText(/No images yet/);
  rerender(<MyImages uploads={[key]} />);
  const card = await screen.findByText(/^Not accepted: /);
  fireEvent.click(screen.getByRole('button', { name: 'Delete odd.jpg' }));
  fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete' }));
  expect(await screen.findByText('“odd.jpg” was deleted.')).toBeInTheDocument();
  expect(card).not.toBeInTheDocument();
  expect(screen.queryByText('Processing…')).not.toBeInTheDocument();
  expect(screen.queryByRole('listitem')).not.toBeInTheDocument();
});
